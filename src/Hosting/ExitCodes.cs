namespace AppMsg.Hosting;

/// <summary>Process exit codes, stable for scripts and orchestrators.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Configuration = 2;
    public const int Database = 3;
    public const int SchemaTooNew = 4;
    public const int PortInUse = 5;
}
