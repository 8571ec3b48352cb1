using System.ComponentModel.DataAnnotations;

namespace Orchestrator.Hosting;

/// <summary>The orchestrator's own settings, bound from the <c>Orchestrator</c> configuration section.</summary>
public sealed class OrchestratorOptions
{
    public const string Section = "Orchestrator";

    /// <summary>Folder of the embedded wiring's SQLite database.</summary>
    [Required]
    public string DataPath { get; set; } = "./data";

    /// <summary>The first administrator's API key, used when the database is empty; generated and printed once when unset.</summary>
    [MinLength(32)]
    public string? AdminKey { get; set; }

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos reach this one at (cluster wiring); by default the host's first address.</summary>
    public string? AdvertisedIP { get; set; }

    [Required]
    public string ClusterId { get; set; } = "orchestrator";

    [Required]
    public string ServiceId { get; set; } = "orchestrator";

    /// <summary>
    /// How often each silo reads the API-key revocation log: a silo that missed a revocation's immediate eviction
    /// stops accepting the key within about this long. Cached keys are trusted only while the log was read within
    /// the last five intervals.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan KeyRevocationCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest JSON request body accepted, in bytes; a larger one is answered 413.</summary>
    [Range(1024, int.MaxValue)]
    public int MaxJsonBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest file accepted (a process file, a stored file), in bytes once decoded; a larger one is answered 413.</summary>
    [Range(1, int.MaxValue)]
    public int MaxFileBytes { get; set; } = 100 * 1024 * 1024;

    /// <summary>
    /// How old stored bytes that no record refers to must be before the sweep removes them (a crash between storing
    /// a process version's new file and writing the version leaves such bytes). Bytes younger than this may still be
    /// waiting for their record.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan OrphanFileGrace { get; set; } = TimeSpan.FromHours(1);
}
