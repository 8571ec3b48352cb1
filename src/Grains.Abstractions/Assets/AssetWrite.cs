using Orchestrator.Common;

namespace Orchestrator.Assets;

/// <summary>
/// The outcome of an asset create or update. Whether the fields fit together (a calendar's dates, a password
/// only on a credential, the robot or group a visibility rule needs) depends on the stored asset, so the grain
/// judges it and names the field it refused.
/// </summary>
[GenerateSerializer, Immutable, Alias("orchestrator.asset-write")]
public sealed record AssetWrite(
    [property: Id(0)] WriteResult Result,
    [property: Id(1)] long Id = 0,
    [property: Id(2)] string? InvalidField = null,
    [property: Id(3)] string? InvalidDetail = null)
{
    public static AssetWrite Invalid(string field, string detail) => new(WriteResult.Conflict, 0, field, detail);
}
