namespace AppMsg.Grains;

/// <summary>
/// How to find string-keyed grains' stored state rows (table <c>orleansstorage</c>, written by Orleans' ADO.NET
/// provider) by key, to read many grains' state in one statement without activating them. Such a row has both numeric
/// key parts 0 and the key in <c>grainidextensionstring</c>, so the unique identity index answers each key; a cleared
/// state has no row.
/// </summary>
internal static class StoredGrainStates
{
    /// <summary>
    /// A FROM clause giving the rows (alias <c>s</c>) of the state named by the parameter <paramref name="stateName"/>
    /// for each key of the text array parameter <paramref name="keys"/> and the service id parameter
    /// <paramref name="serviceId"/>. One index lookup per key: a list compared with <c>= ANY</c> was planned as a scan of
    /// every row of the state whenever the table's statistics lagged behind its growth (a scan per REGISTER batch), and
    /// <c>OFFSET 0</c> keeps the planner from flattening the lookup into a join that scans the state's rows once.
    /// </summary>
    public static string RowsOf(string serviceId, string stateName, string keys) =>
        $"unnest({keys}::text[]) AS wanted(key) CROSS JOIN LATERAL (SELECT r.* FROM orleansstorage r "
        + $"WHERE r.serviceid = {serviceId} AND r.graintypestring = {stateName} AND r.grainidn0 = 0 AND r.grainidn1 = 0 "
        + "AND r.grainidextensionstring = wanted.key AND r.payloadbinary IS NOT NULL OFFSET 0) s";
}
