namespace Orchestrator.Api.Views;

/// <summary>
/// The answer of a create call: the new entity's GUID under both <c>GUID</c> and <c>guid</c> (the vendor
/// document shows both), its numeric <c>id</c>, and any fields the documented example adds. A dictionary,
/// because the two GUID keys differ only in case, which a serialized type may not.
/// </summary>
public static class CreatedView
{
    public static Dictionary<string, object?> Of(Guid guid, long id, params (string Name, object? Value)[] fields)
    {
        var view = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in fields)
        {
            view[name] = value;
        }

        view["GUID"] = guid;
        view["guid"] = guid;
        view["id"] = id;
        return view;
    }
}
