namespace Orchestrator.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class EmbeddedCollection : ICollectionFixture<EmbeddedFixture>
{
    public const string Name = "embedded";
}
