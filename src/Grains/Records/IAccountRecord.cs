namespace Orchestrator.Records;

/// <summary>
/// A row that belongs to one account (API.md §1: accounts are tenants): what every record kind has in common,
/// so that the ownership check, the unique-name conflict and the soft delete are written once.
/// </summary>
public interface IAccountRecord
{
    long Id { get; }

    Guid Guid { get; }

    long AccountId { get; }
}
