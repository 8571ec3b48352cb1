namespace Orchestrator.Api.Requests;

/// <summary>
/// The body of POST /api/task/filter/read and /filter/list: <c>Name</c> (the task for filter/read, the queue for
/// filter/list when the path has none) and the same filters the path may carry.
/// </summary>
public sealed class TaskFilterRequest
{
    public string? Name { get; set; }

    public string? Status { get; set; }

    public string? Tag { get; set; }

    public string? Priority { get; set; }

    public string? Job { get; set; }

    public string? CreatedFrom { get; set; }

    public string? CreatedTo { get; set; }

    public string? DeadlineBefore { get; set; }

    public string? Skip { get; set; }

    public string? Take { get; set; }

    public string? After { get; set; }

    /// <summary>The filters as <c>field → value</c>, the body's names lower-cased as the path writes them.</summary>
    public Dictionary<string, string> Filters()
    {
        var filters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        void Add(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                filters[key] = value.Trim();
            }
        }

        Add("status", Status);
        Add("tag", Tag);
        Add("priority", Priority);
        Add("job", Job);
        Add("createdFrom", CreatedFrom);
        Add("createdTo", CreatedTo);
        Add("deadlineBefore", DeadlineBefore);
        Add("skip", Skip);
        Add("take", Take);
        Add("after", After);
        return filters;
    }
}
