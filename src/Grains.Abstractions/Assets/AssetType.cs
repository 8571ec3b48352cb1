namespace Orchestrator.Assets;

/// <summary>What an asset holds (API.md §2).</summary>
[GenerateSerializer, Alias("orchestrator.asset-type")]
public enum AssetType
{
    /// <summary>A login (in <c>Text</c>), a password kept encrypted, and the password's expiration.</summary>
    Credential = 1,
    Text = 2,

    /// <summary><c>Text</c> is a JSON array of dates, <c>["2026-01-01", …]</c>.</summary>
    Calendar = 3,
}
