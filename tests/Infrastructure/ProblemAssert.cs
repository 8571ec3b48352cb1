using System.Text.Json;

namespace Orchestrator.Tests.Infrastructure;

/// <summary>What every bad-input test checks of a problem-details answer: that its errors name the field at fault.</summary>
public static class ProblemAssert
{
    public static void NamesField(JsonElement problem, string field) =>
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected a problem naming {field}: {problem.GetRawText()}");

    /// <summary>Awaits the answer (whose status the call has asserted) and checks it names <paramref name="field"/>.</summary>
    public static async Task NamesFieldAsync(Task<JsonElement> answer, string field) => NamesField(await answer, field);
}
