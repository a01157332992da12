namespace AppMsg.Grains;

/// <summary>Names of the grain storage providers the silo registers.</summary>
public static class StorageNames
{
    /// <summary>Orleans ADO.NET storage in the AppMsg PostgreSQL database.</summary>
    public const string Default = "appmsg";
}
