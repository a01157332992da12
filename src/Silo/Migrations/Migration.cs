namespace AppMsg.Silo.Migrations;

/// <summary>One versioned schema change.</summary>
public sealed record Migration(int Version, string Name, string Sql);
