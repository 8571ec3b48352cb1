using Orchestrator.Api.Http;
using Orchestrator.Robots;

namespace Orchestrator.Api.Views;

/// <summary>A robot as /api/robot/read answers it: the documented PascalCase fields, times in Unix seconds.</summary>
public sealed record RobotView(
    long id,
    Guid GUID,
    string Name,
    string Machine,
    int Status,
    string IP,
    string MAC,
    string Description,
    string Version,
    long LicenseExpiration,
    string LicenseString,
    long CreatedAt,
    long UpdatedAt,
    long LastHeartbeatAt)
{
    public static RobotView From(RobotInfo r) => new(
        r.Id, r.Guid, r.Name, r.Machine, (int)r.Status, r.IP, r.MAC, r.Description, r.Version, r.LicenseExpiration,
        r.LicenseString, JsonFormats.UnixSeconds(r.CreatedAt), JsonFormats.UnixSeconds(r.UpdatedAt), JsonFormats.UnixSeconds(r.LastHeartbeatAt));

    public static RobotView From(RobotRecord r, RobotStatus status) => new(
        r.Id, r.Guid, r.Name, r.Machine, (int)status, r.IP, r.MAC, r.Description, r.Version, r.LicenseExpiration,
        r.LicenseString, JsonFormats.UnixSeconds(r.CreatedAt), JsonFormats.UnixSeconds(r.UpdatedAt), JsonFormats.UnixSeconds(r.LastHeartbeatAt));
}
