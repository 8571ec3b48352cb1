using System.Collections.Concurrent;
using Orchestrator.Assets;

namespace Orchestrator.Api.Http;

/// <summary>
/// The per-account asset grains' references, made once per account: <c>GetGrain</c> finds the interface's grain type
/// through reflection on every call, a noticeable share of a by-name read that is otherwise answered from memory.
/// </summary>
public sealed class AccountAssetsGrains(IGrainFactory grains)
{
    private readonly ConcurrentDictionary<long, IAccountAssetsGrain> _references = new();

    public IAccountAssetsGrain For(long accountId) =>
        _references.GetOrAdd(accountId, static (id, factory) => factory.GetGrain<IAccountAssetsGrain>(id), grains);
}
