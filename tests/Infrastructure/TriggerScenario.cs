using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>
/// What a trigger test sets up and waits for through the HTTP API: triggers of a process, their jobs, the state a
/// trigger reaches once it has dealt with an occurrence.
/// </summary>
public static class TriggerScenario
{
    public static async Task<(Guid Guid, long Id)> CreateAsync(ApiClient api, object body)
    {
        var created = await api.PostAsync("/api/schedule/create", JsonSerializer.Serialize(body));
        var guid = created.GetProperty("guid").GetGuid();
        var read = await api.GetAsync($"/api/schedule/read/{guid}");
        return (guid, read.GetProperty("id").GetInt64());
    }

    /// <summary>A cron trigger (ProcessingType 2) of <paramref name="process"/>; the fields of <paramref name="more"/> are added to it.</summary>
    public static Task<(Guid Guid, long Id)> ScheduleAsync(ApiClient api, Guid process, string name, string cron, object? more = null)
    {
        var body = new JsonObject { ["Name"] = name, ["CronTab"] = cron, ["ProcessingType"] = 2, ["ProcessId"] = process };
        foreach (var (field, value) in more is null ? [] : JsonSerializer.SerializeToNode(more)!.AsObject())
        {
            body[field] = value?.DeepClone();
        }

        return CreateAsync(api, body);
    }

    public static Task<JsonElement> ReadAsync(ApiClient api, Guid trigger) => api.GetAsync($"/api/schedule/read/{trigger}");

    /// <summary>The trigger's next occurrence as its read answers it (it has one).</summary>
    public static async Task<DateTimeOffset> NextRunAsync(ApiClient api, Guid trigger) =>
        Time((await ReadAsync(api, trigger)).GetProperty("next_run_at"))!.Value;

    public static async Task<List<JsonElement>> JobsAsync(ApiClient api, long trigger) =>
        [.. (await api.GetAsync($"/api/job/list?schedule={trigger}&take=1000")).EnumerateArray()];

    /// <summary>Waits until the trigger has dealt with every occurrence up to <paramref name="now"/>: its next run is later, or none.</summary>
    public static Task<JsonElement> SettledAsync(ApiClient api, Guid trigger, DateTimeOffset now) =>
        Polling.EventuallyAsync(() => ReadAsync(api, trigger), t => Time(t.GetProperty("next_run_at")) is not { } next || next > now);

    public static Task<List<JsonElement>> JobCountAsync(ApiClient api, long trigger, int count) =>
        Polling.EventuallyAsync(() => JobsAsync(api, trigger), jobs => jobs.Count >= count);

    /// <summary>Cancels every pending job of the trigger, so that its next occurrence is not an overlap.</summary>
    public static async Task CancelPendingAsync(ApiClient api, long trigger)
    {
        foreach (var job in await JobsAsync(api, trigger))
        {
            if (job.GetProperty("status").GetInt32() == 0)
            {
                await api.PostAsync("/api/job/update", JsonSerializer.Serialize(new { Guid = job.GetProperty("guid").GetGuid(), Status = 8 }));
            }
        }
    }

    public static DateTimeOffset? Time(JsonElement value) =>
        value.ValueKind == JsonValueKind.Null
            ? null
            : DateTimeOffset.ParseExact(value.GetString()!, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static async Task DeleteAsync(ApiClient api, Guid trigger) =>
        await api.DeleteAsync($"/api/schedule/delete/{trigger}", null, HttpStatusCode.OK);
}
