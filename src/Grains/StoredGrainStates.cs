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
    /// The SQL condition on the rows (alias <c>s</c>) of the state named by the parameter <paramref name="stateName"/>
    /// whose keys are in the text array parameter <paramref name="keys"/>, for the service id parameter <paramref name="serviceId"/>.
    /// </summary>
    public static string RowsOf(string serviceId, string stateName, string keys) =>
        $"s.serviceid = {serviceId} AND s.graintypestring = {stateName} AND s.grainidn0 = 0 AND s.grainidn1 = 0 "
        + $"AND s.grainidextensionstring = ANY({keys}) AND s.payloadbinary IS NOT NULL";
}
