using System.ComponentModel.DataAnnotations;
using System.Net;
using Orchestrator.Hosting;

namespace Orchestrator.Silo;

/// <summary>
/// The check of <see cref="OrchestratorOptions"/> that composing the host needs before the options' own validation at
/// start: the composition itself uses the ports, the cluster's names and the advertised address.
/// </summary>
public static class OrchestratorOptionsCheck
{
    /// <summary>Throws, naming the setting, when a value is out of its range or missing, or the advertised address is not an IP address.</summary>
    public static void ThrowIfInvalid(OrchestratorOptions options)
    {
        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true))
        {
            var problem = problems[0];
            var setting = problem.MemberNames.FirstOrDefault() ?? "?";
            throw new InvalidOperationException($"The setting {OrchestratorOptions.Section}:{setting} is invalid: {problem.ErrorMessage}");
        }

        if (!string.IsNullOrWhiteSpace(options.AdvertisedIP) && !IPAddress.TryParse(options.AdvertisedIP, out _))
        {
            throw new InvalidOperationException(
                $"The setting {OrchestratorOptions.Section}:AdvertisedIP is invalid: '{options.AdvertisedIP}' is not an IP address (a host name is not accepted).");
        }
    }
}
