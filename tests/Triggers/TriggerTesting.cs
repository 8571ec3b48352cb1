using System.Globalization;
using System.Net;
using System.Text.Json;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Triggers;

/// <summary>The calls trigger tests make, and the waits for the state they need.</summary>
internal static class TriggerTesting
{
    public static async Task<(Guid Guid, long Id)> CreateAsync(ApiClient api, object body)
    {
        var created = await api.PostAsync("/api/schedule/create", JsonSerializer.Serialize(body));
        var guid = created.GetProperty("guid").GetGuid();
        var read = await api.GetAsync($"/api/schedule/read/{guid}");
        return (guid, read.GetProperty("id").GetInt64());
    }

    public static Task<JsonElement> ReadAsync(ApiClient api, Guid trigger) => api.GetAsync($"/api/schedule/read/{trigger}");

    public static async Task<List<JsonElement>> JobsAsync(ApiClient api, long trigger) =>
        [.. (await api.GetAsync($"/api/job/list?schedule={trigger}&take=1000")).EnumerateArray()];

    /// <summary>Waits until the trigger has dealt with every occurrence up to <paramref name="now"/>: its next run is later, or none.</summary>
    public static Task<JsonElement> SettledAsync(ApiClient api, Guid trigger, DateTimeOffset now) =>
        EventuallyAsync(() => ReadAsync(api, trigger), t => Time(t.GetProperty("next_run_at")) is not { } next || next > now);

    public static Task<List<JsonElement>> JobCountAsync(ApiClient api, long trigger, int count) =>
        EventuallyAsync(() => JobsAsync(api, trigger), jobs => jobs.Count >= count);

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

    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> condition, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"The condition was not met within {seconds} s; last state: {(value is JsonElement e ? e.GetRawText() : JsonSerializer.Serialize(value))}");
            }

            await Task.Delay(20);
        }
    }

    public static async Task DeleteAsync(ApiClient api, Guid trigger) =>
        await api.DeleteAsync($"/api/schedule/delete/{trigger}", null, HttpStatusCode.OK);
}
