using System.Globalization;
using System.Text.Json;

namespace Orchestrator.Assets;

/// <summary>What makes an asset's fields fit together (API.md §11); each check answers the field it refuses, or null.</summary>
public static class AssetRules
{
    /// <summary>A calendar's text: a JSON array of dates written <c>YYYY-MM-DD</c>.</summary>
    public static string? CalendarProblem(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return "must be a JSON array of dates, e.g. [\"2026-01-01\", \"2026-01-07\"].";
            }

            foreach (var date in document.RootElement.EnumerateArray())
            {
                if (date.ValueKind != JsonValueKind.String
                    || !DateOnly.TryParseExact(date.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                {
                    return $"must hold only dates written YYYY-MM-DD; {date.GetRawText()} is not one.";
                }
            }

            return null;
        }
        catch (JsonException)
        {
            return "must be a JSON array of dates, e.g. [\"2026-01-01\", \"2026-01-07\"].";
        }
    }

    /// <summary>The first field of a would-be asset that does not fit the others.</summary>
    public static (string Field, string Detail)? Check(AssetRecord asset, bool passwordSent, bool expirationSent)
    {
        if (asset.Type != AssetType.Credential && passwordSent)
        {
            return ("Password", "only a credential (Type 1) has a password.");
        }

        if (asset.Type != AssetType.Credential && expirationSent)
        {
            return ("PasswordExpiration", "only a credential (Type 1) has a password expiration.");
        }

        if (asset.Type == AssetType.Calendar && CalendarProblem(asset.Text) is { } calendar)
        {
            return ("Text", calendar);
        }

        return asset.RobotType switch
        {
            AssetVisibility.Robot when asset.RobotId is null => ("RobotId", "is required when RobotType is 1 (one robot)."),
            AssetVisibility.Group when asset.RobotGroupId is null => ("RobotGroupId", "is required when RobotType is 2 (one robot group)."),
            _ => null,
        };
    }
}
