// Package images holds the container images the platform builds itself (one directory each, with
// its Dockerfile) and the tests that check them statically: no Docker engine is needed to learn
// that a base image is pinned, the user is not root, every download is checked against a
// checksum and the architecture comes from TARGETARCH.
package images
