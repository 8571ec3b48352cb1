using System.Text.Json;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>Waiting for what the orchestrator does in the background (a timer, a one-way call, a sweep) without sleeping a fixed time.</summary>
public static class Polling
{
    /// <summary>Reads until <paramref name="condition"/> holds and answers that read; fails the test, showing the last one, after <paramref name="seconds"/>.</summary>
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
}
