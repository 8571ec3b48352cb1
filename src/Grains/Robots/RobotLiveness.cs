namespace Orchestrator.Robots;

/// <summary>Derives a robot's status from its live facts; the one rule shared by the grain and the list query.</summary>
public static class RobotLiveness
{
    public static RobotStatus Derive(bool disabled, bool leased, DateTimeOffset? lastHeartbeat, DateTimeOffset now, RobotOptions options)
    {
        if (disabled)
        {
            return RobotStatus.Disabled;
        }

        if (lastHeartbeat is not { } last)
        {
            return RobotStatus.Offline;
        }

        var silence = now - last;
        if (silence >= options.OfflineAfter)
        {
            return RobotStatus.Offline;
        }

        if (silence >= options.UnresponsiveAfter)
        {
            return RobotStatus.Unresponsive;
        }

        return leased ? RobotStatus.Busy : RobotStatus.Available;
    }

    /// <summary>
    /// The status of a robot as its stored record shows it. A live robot grain keeps the stored status
    /// current; a record whose heartbeat is older than the offline window plus the persist interval belongs to
    /// a robot whose grain is gone (its silo stopped), so it is Offline whatever status was stored last.
    /// </summary>
    public static RobotStatus FromRecord(RobotRecord record, DateTimeOffset now, RobotOptions options)
    {
        if (record.Disabled)
        {
            return RobotStatus.Disabled;
        }

        if (record.LastHeartbeatAt is not { } last || now - last >= options.OfflineAfter + options.HeartbeatPersistInterval)
        {
            return RobotStatus.Offline;
        }

        return record.Status;
    }
}
