namespace Orchestrator.Assets;

/// <summary>A robot as a client names it (API.md §1): by its GUID, or, when <see cref="Guid"/> is empty, by its numeric id.</summary>
[GenerateSerializer, Immutable, Alias("orchestrator.robot-reference")]
public readonly record struct RobotReference([property: Id(0)] Guid Guid, [property: Id(1)] long Id)
{
    public static RobotReference ByGuid(Guid guid) => new(guid, 0);

    public static RobotReference ById(long id) => new(Guid.Empty, id);
}
