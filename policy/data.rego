# Data services: Key Vault, storage accounts (the SPA account and the data lake), Azure SQL and
# PostgreSQL Flexible Server. References: PSRule for Azure rule names or Microsoft cloud security
# benchmark (MCSB) controls of the service's security baseline.
package platform_baseline

import rego.v1

# Azure.KeyVault.RBAC: access by Azure RBAC, not vault access policies.
deny_keyvault_rbac contains msg if {
	"key_vault" in kinds
	differs(input, ["properties", "enableRbacAuthorization"], true)
	msg := message("key_vault", input, ["properties", "enableRbacAuthorization"], "true", "Azure.KeyVault.RBAC")
}

# Azure.KeyVault.SoftDelete: deleted secrets stay recoverable (on unless switched off).
deny_keyvault_soft_delete contains msg if {
	"key_vault" in kinds
	is_value(input, ["properties", "enableSoftDelete"], false)
	msg := message("key_vault", input, ["properties", "enableSoftDelete"], "true", "Azure.KeyVault.SoftDelete")
}

# Azure.KeyVault.PurgeProtect (prod): nobody purges a deleted vault or secret before retention
# ends. dev leaves it off so a vault name can be reused at once (config refuses that in prod).
deny_keyvault_purge_protection contains msg if {
	"key_vault" in kinds
	prod(input)
	differs(input, ["properties", "enablePurgeProtection"], true)
	msg := message("key_vault", input, ["properties", "enablePurgeProtection"], "true in prod", "Azure.KeyVault.PurgeProtect")
}

# Key Vault security baseline NS-2 (secure cloud services with network controls): reachable only
# through its private endpoint.
deny_keyvault_public_network contains msg if {
	"key_vault" in kinds
	differs(input, ["properties", "publicNetworkAccess"], "Disabled")
	msg := message("key_vault", input, ["properties", "publicNetworkAccess"], "Disabled", "Key Vault security baseline NS-2")
}

# Azure.KeyVault.Firewall: the firewall denies by default.
deny_keyvault_firewall contains msg if {
	"key_vault" in kinds
	differs(input, ["properties", "networkAcls", "defaultAction"], "Deny")
	msg := message("key_vault", input, ["properties", "networkAcls", "defaultAction"], "Deny", "Azure.KeyVault.Firewall")
}

# Azure.Storage.LocalAuth: no shared keys (nor SAS signed with them); Entra ID only. Azure's
# default is to allow them, so the property must be set.
deny_storage_shared_key contains msg if {
	"storage_account" in kinds
	differs(input, ["allowSharedKeyAccess"], false)
	msg := message("storage_account", input, ["allowSharedKeyAccess"], "false", "Azure.Storage.LocalAuth")
}

# Azure.Storage.MinTLS: TLS 1.2 or later.
deny_storage_min_tls contains msg if {
	"storage_account" in kinds
	not_in(input, ["minimumTlsVersion"], {"TLS1_2", "TLS1_3"})
	msg := message("storage_account", input, ["minimumTlsVersion"], "TLS1_2", "Azure.Storage.MinTLS")
}

# Azure.Storage.SecureTransfer: HTTPS only (on unless switched off).
deny_storage_https_only contains msg if {
	"storage_account" in kinds
	is_value(input, ["enableHttpsTrafficOnly"], false)
	msg := message("storage_account", input, ["enableHttpsTrafficOnly"], "true", "Azure.Storage.SecureTransfer")
}

# Azure.Storage.BlobPublicAccess: no anonymous containers, whatever a container asks for.
deny_storage_blob_public_access contains msg if {
	"storage_account" in kinds
	differs(input, ["allowBlobPublicAccess"], false)
	msg := message("storage_account", input, ["allowBlobPublicAccess"], "false", "Azure.Storage.BlobPublicAccess")
}

# Azure.Storage.Firewall: the data lake (the account with a hierarchical namespace, customer
# data) is private. The SPA account is the documented exception: Front Door reads its public
# static-website endpoint.
deny_storage_data_lake_network contains msg if {
	"storage_account" in kinds
	is_value(input, ["isHnsEnabled"], true)
	differs(input, ["publicNetworkAccess"], "Disabled")
	msg := message("storage_account", input, ["publicNetworkAccess"], "Disabled for the data lake", "Azure.Storage.Firewall")
}

geo_redundant_skus := {"Standard_GRS", "Standard_RAGRS", "Standard_GZRS", "Standard_RAGZRS"}

# Azure.Storage.UseReplication (prod): copies in the paired region.
deny_storage_geo_replication contains msg if {
	"storage_account" in kinds
	prod(input)
	not_in(input, ["sku", "name"], geo_redundant_skus)
	msg := message("storage_account", input, ["sku", "name"], "a geo-redundant SKU (Standard_GZRS) in prod", "Azure.Storage.UseReplication")
}

# Azure.Storage.SoftDelete: deleted blobs stay recoverable.
deny_storage_blob_soft_delete contains msg if {
	"blob_service" in kinds
	differs(input, ["deleteRetentionPolicy", "enabled"], true)
	msg := message("blob_service", input, ["deleteRetentionPolicy", "enabled"], "true", "Azure.Storage.SoftDelete")
}

# Azure.Storage.ContainerSoftDelete: deleted containers stay recoverable.
deny_storage_container_soft_delete contains msg if {
	"blob_service" in kinds
	differs(input, ["containerDeleteRetentionPolicy", "enabled"], true)
	msg := message("blob_service", input, ["containerDeleteRetentionPolicy", "enabled"], "true", "Azure.Storage.ContainerSoftDelete")
}

# Azure.Storage.BlobAccessType: containers are private.
deny_storage_container_public contains msg if {
	"blob_container" in kinds
	not_in(input, ["publicAccess"], {"None", null})
	msg := message("blob_container", input, ["publicAccess"], "None", "Azure.Storage.BlobAccessType")
}

# Azure.SQL.AADOnly: Entra-only authentication, no SQL logins.
deny_sql_entra_only contains msg if {
	"sql_server" in kinds
	differs(input, ["administrators", "azureADOnlyAuthentication"], true)
	msg := message("sql_server", input, ["administrators", "azureADOnlyAuthentication"], "true", "Azure.SQL.AADOnly")
}

# Azure.SQL.AAD: the server's administrator is an Entra ID principal (the database-admins group).
deny_sql_entra_admin contains msg if {
	"sql_server" in kinds
	differs(input, ["administrators", "administratorType"], "ActiveDirectory")
	msg := message("sql_server", input, ["administrators", "administratorType"], "ActiveDirectory", "Azure.SQL.AAD")
}

# Azure.SQL.MinTLS: TLS 1.2 or later.
deny_sql_min_tls contains msg if {
	"sql_server" in kinds
	not_in(input, ["minimalTlsVersion"], {"1.2", "1.3"})
	msg := message("sql_server", input, ["minimalTlsVersion"], "1.2", "Azure.SQL.MinTLS")
}

# Azure SQL security baseline NS-2: reachable only through its private endpoint.
deny_sql_public_network contains msg if {
	"sql_server" in kinds
	differs(input, ["publicNetworkAccess"], "Disabled")
	msg := message("sql_server", input, ["publicNetworkAccess"], "Disabled", "Azure SQL security baseline NS-2")
}

# Azure.SQL.Auditing: server auditing on, to Azure Monitor (Log Analytics).
deny_sql_auditing contains msg if {
	"sql_auditing" in kinds
	differs(input, ["state"], "Enabled")
	msg := message("sql_auditing", input, ["state"], "Enabled", "Azure.SQL.Auditing")
}

deny_sql_auditing contains msg if {
	"sql_auditing" in kinds
	differs(input, ["isAzureMonitorTargetEnabled"], true)
	msg := message("sql_auditing", input, ["isAzureMonitorTargetEnabled"], "true", "Azure.SQL.Auditing")
}

# Azure.PostgreSQL.AADOnly: Entra ID authentication only, passwords off.
deny_postgres_entra_only contains msg if {
	"postgres_server" in kinds
	differs(input, ["authConfig", "passwordAuth"], "Disabled")
	msg := message("postgres_server", input, ["authConfig", "passwordAuth"], "Disabled", "Azure.PostgreSQL.AADOnly")
}

# Azure.PostgreSQL.AAD: Entra ID authentication on.
deny_postgres_entra_auth contains msg if {
	"postgres_server" in kinds
	differs(input, ["authConfig", "activeDirectoryAuth"], "Enabled")
	msg := message("postgres_server", input, ["authConfig", "activeDirectoryAuth"], "Enabled", "Azure.PostgreSQL.AAD")
}

# PostgreSQL security baseline NS-2: VNet-injected into its delegated subnet, no public access.
deny_postgres_public_network contains msg if {
	"postgres_server" in kinds
	differs(input, ["network", "publicNetworkAccess"], "Disabled")
	msg := message("postgres_server", input, ["network", "publicNetworkAccess"], "Disabled", "Azure Database for PostgreSQL security baseline NS-2")
}

# Azure.PostgreSQL.GeoRedundantBackup (prod).
deny_postgres_geo_backup contains msg if {
	"postgres_server" in kinds
	prod(input)
	differs(input, ["backup", "geoRedundantBackup"], "Enabled")
	msg := message("postgres_server", input, ["backup", "geoRedundantBackup"], "Enabled in prod", "Azure.PostgreSQL.GeoRedundantBackup")
}

# Azure.PostgreSQL.ZoneRedundantHA (prod).
deny_postgres_zone_ha contains msg if {
	"postgres_server" in kinds
	prod(input)
	differs(input, ["highAvailability", "mode"], "ZoneRedundant")
	msg := message("postgres_server", input, ["highAvailability", "mode"], "ZoneRedundant in prod", "Azure.PostgreSQL.ZoneRedundantHA")
}
