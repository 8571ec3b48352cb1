namespace Orchestrator.Accounts;

/// <summary>What is stored of an API key: its hash and the first characters, so an operator can tell keys apart.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.api-key-hash")]
public sealed record ApiKeyHash([property: Id(0)] string Hash, [property: Id(1)] string Prefix);
