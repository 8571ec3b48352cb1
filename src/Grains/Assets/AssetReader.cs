namespace Orchestrator.Assets;

/// <summary>A robot as a by-name read needs it: its id and GUID, and the live groups it is a member of.</summary>
public sealed record AssetReader(long Id, Guid Guid, long[] Groups);
