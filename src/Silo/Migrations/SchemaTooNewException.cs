namespace AppMsg.Silo.Migrations;

/// <summary>The database was migrated by a newer AppMsg build than this one.</summary>
public sealed class SchemaTooNewException(int databaseVersion, int supportedVersion)
    : Exception($"the database schema is at version {databaseVersion}, newer than this build supports ({supportedVersion}); run a newer AppMsg build or point ConnectionStrings__AppMsg at another database")
{
    /// <summary>The version found in the database.</summary>
    public int DatabaseVersion { get; } = databaseVersion;

    /// <summary>The newest version this build knows.</summary>
    public int SupportedVersion { get; } = supportedVersion;
}
