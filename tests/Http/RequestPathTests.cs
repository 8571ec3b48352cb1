using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Api.Http;
using Orchestrator.RobotGroups;
using Orchestrator.Robots;
using Orchestrator.Tests.Infrastructure;

namespace Orchestrator.Tests.Http;

/// <summary>What every endpoint shares: grain references, and the tolerant body reader at its edges.</summary>
[Collection(EmbeddedCollection.Name)]
public sealed class RequestPathTests(EmbeddedFixture fixture)
{
    [Fact]
    public void A_resource_makes_the_same_grain_reference_as_the_grain_factory()
    {
        var grains = fixture.Host.Services.GetRequiredService<IGrainFactory>();
        var guid = Guid.NewGuid();

        var robot = fixture.Host.Services.GetRequiredService<Resource<IRobotGrain>>().Grain(guid);
        var group = fixture.Host.Services.GetRequiredService<Resource<IRobotGroupGrain>>().Grain(guid);

        Assert.Equal(grains.GetGrain<IRobotGrain>(guid), robot);
        Assert.Equal(grains.GetGrain<IRobotGrain>(guid).GetGrainId(), robot.GetGrainId());
        Assert.Equal(grains.GetGrain<IRobotGroupGrain>(guid).GetGrainId(), group.GetGrainId());
        Assert.NotEqual(robot.GetGrainId(), group.GetGrainId());
    }

    [Fact]
    public async Task A_body_with_a_second_json_value_after_the_first_is_a_400_naming_the_body()
    {
        using var tenant = await fixture.NewAccountAsync();

        using var response = await tenant.SendAsync(HttpMethod.Post, "/api/robot/create", """{"Name": "one"} {"Name": "two"}""");

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"body\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_body_followed_by_a_comment_is_read()
    {
        using var tenant = await fixture.NewAccountAsync();

        var created = await tenant.PostAsync("/api/robot/create", """{"Name": "commented",} // sent by a script""");

        Assert.Equal("commented", created.GetProperty("Name").GetString());
    }
}
