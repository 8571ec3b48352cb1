using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Orchestrator.Triggers;

/// <summary>
/// The GUID of the job a trigger creates for one occurrence (or one continuous run), derived from the two: a fire
/// repeated after a crash, a retry or on a second activation creates the same job, never a second one.
/// </summary>
public static class TriggerJobs
{
    public static Guid ForOccurrence(Guid trigger, DateTimeOffset occurrence) => Derive(trigger, occurrence.ToUnixTimeMilliseconds());

    /// <summary>A continuous trigger's run <paramref name="run"/> (1, 2, …); never the GUID of an occurrence.</summary>
    public static Guid ForRun(Guid trigger, long run) => Derive(trigger, -run);

    private static Guid Derive(Guid trigger, long key)
    {
        Span<byte> input = stackalloc byte[24];
        trigger.TryWriteBytes(input);
        BinaryPrimitives.WriteInt64BigEndian(input[16..], key);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);

        // An RFC 9562 version 8 (name-based, custom) GUID.
        hash[7] = (byte)((hash[7] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16]);
    }
}
