namespace Orchestrator.Api.Http;

/// <summary>
/// Documents the JSON body an endpoint reads itself through <see cref="RequestBody"/>. Unlike
/// <c>Accepts&lt;T&gt;()</c> it does not make ASP.NET refuse other content types: the vendor's clients
/// do not always send <c>Content-Type: application/json</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class JsonBodyAttribute(Type type) : Attribute
{
    public Type Type { get; } = type;
}
