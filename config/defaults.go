package config

// Defaults returns the settings an environment of a profile (Dev or Prod) starts from before its
// settings file is applied. Values here are the documented defaults of the fields in config.go;
// defaults_test.go checks every documented default against them for both profiles.
func Defaults(profile string) Env {
	prod := profile == Prod
	pick := func(dev, prd any) any {
		if prod {
			return prd
		}
		return dev
	}
	window := func(day string) Window {
		return Window{DayOfWeek: day, StartTime: "02:00", DurationHours: 4, UTCOffset: "+00:00", IntervalWeeks: 1}
	}
	return Env{
		Profile:                  profile,
		ProtectStatefulResources: prod,
		Network: Network{
			NatIdleTimeoutMinutes: 4,
		},
		KeyVault: KeyVault{
			Sku:                     "standard",
			SoftDeleteRetentionDays: pick(7, 90).(int),
			PurgeProtection:         prod,
		},
		SQL: SQL{
			DatabaseName:            "app",
			SkuName:                 "GP_S_Gen5_2",
			MinCapacity:             0.5,
			AutoPauseDelayMinutes:   pick(60, -1).(int),
			MaxSizeGB:               32,
			ZoneRedundant:           prod,
			BackupStorageRedundancy: pick("Local", "Geo").(string),
		},
		Postgres: Postgres{
			Version:             "16",
			Tier:                pick("Burstable", "GeneralPurpose").(string),
			SkuName:             pick("Standard_B1ms", "Standard_D2ds_v5").(string),
			StorageSizeGB:       pick(32, 128).(int),
			HighAvailability:    pick("Disabled", "ZoneRedundant").(string),
			GeoRedundantBackup:  prod,
			BackupRetentionDays: pick(7, 35).(int),
		},
		Storage: Storage{
			Replication:             pick("Standard_LRS", "Standard_GZRS").(string),
			DataLakeContainers:      []string{"documents"},
			SoftDeleteRetentionDays: pick(7, 30).(int),
			SpaIndexDocument:        "index.html",
			SpaErrorDocument:        "index.html",
		},
		Monitoring: Monitoring{
			RetentionDays:     pick(30, 90).(int),
			ManagedPrometheus: true,
		},
		Entra: Entra{CreateGroups: true},
		Services: []Service{
			{Name: "user-service", PostgresDatabase: "users"},
			{Name: "subscription-service", SQL: true},
			{Name: "llm-service", DocumentIntelligence: true, DataLake: DataLakeRead},
		},
		Workloads: Workloads{
			ExternalSecrets: Workload{Namespace: "external-secrets", ServiceAccounts: []string{"external-secrets"}},
			CertManager:     Workload{Namespace: "cert-manager", ServiceAccounts: []string{"cert-manager"}},
			ALBController:   Workload{Namespace: "azure-alb-system", ServiceAccounts: []string{"alb-controller-sa"}},
			Flux:            Workload{Namespace: "flux-system", ServiceAccounts: []string{"source-controller", "image-reflector-controller"}},
		},
		ExternalID: ExternalID{
			SpaRedirectURIs: pick([]string{"http://localhost:5173/"}, []string(nil)).([]string),
		},
		AKS: AKS{
			Tier: pick("Free", "Standard").(string),
			SystemPool: SystemPool{
				VMSize:       "Standard_D4ds_v5",
				Count:        pick(1, 3).(int),
				Zones:        pick([]string(nil), []string{"1", "2", "3"}).([]string),
				OSDiskSizeGB: 64,
				MaxPods:      110,
			},
			NodeProvisioning:       "Auto",
			APIServerAccess:        "vnetIntegration",
			UpgradeChannel:         pick("patch", "stable").(string),
			NodeOSUpgradeChannel:   "NodeImage",
			AutoUpgradeWindow:      window("Sunday"),
			NodeOSUpgradeWindow:    window("Saturday"),
			Defender:               prod,
			AzurePolicy:            prod,
			PodCIDR:                "10.244.0.0/16",
			ServiceCIDR:            "172.16.0.0/16",
			SecretRotationInterval: "2m",
		},
		ACR: ACR{
			Sku:             pick("Standard", "Premium").(string),
			ZoneRedundancy:  prod,
			RetentionDays:   pick(0, 30).(int),
			ContentTrust:    prod,
			PrivateEndpoint: prod,
		},
		FrontDoor: FrontDoor{
			WAFMode:                      pick(WAFDetection, WAFPrevention).(string),
			RateLimitThreshold:           1000,
			RateLimitDurationMinutes:     1,
			OriginResponseTimeoutSeconds: 60,
		},
		// Prevention everywhere: the AGC WAF policy also holds the Front Door lock (only this
		// Front Door's X-Azure-FDID gets through), and Detection would turn that into logging.
		AGC:                  AGC{WAFMode: WAFPrevention},
		DocumentIntelligence: DocumentIntelligence{Sku: "S0"},
		Flux: Flux{
			Branch:                  pick("main", "release").(string),
			Auth:                    "workloadIdentity",
			SyncIntervalSeconds:     300,
			ReleaseTrain:            "stable",
			AutoUpgradeMinorVersion: !prod,
			ImageAutomation:         !prod,
			ClusterLogin:            ClusterLoginAzureCLI,
		},
	}
}
