using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Orchestrator.Accounts;
using Orchestrator.Api.Http;
using Orchestrator.Api.Requests;
using Orchestrator.Api.Views;
using Orchestrator.Common;
using Orchestrator.Jobs;
using Orchestrator.Queues;
using Orchestrator.Robots;

namespace Orchestrator.Api.Apis;

/// <summary>API.md §9: tasks (queue items), their filters, the bulk create, and the take of the robot protocol.</summary>
public static class TaskApi
{
    public const int MaxBatch = 1000;

    private static readonly IResult Deleted = TypedResults.Json(new Dictionary<string, string> { ["result"] = "1" });

    public static RouteGroupBuilder MapTaskApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/task").WithTags("Tasks");
        api.MapPost("/create", Create).WithName("CreateTask").WithSummary("Create a task in a queue").WithJsonBody<TaskCreateRequest>();
        api.MapPost("/createBatch", CreateBatch).WithName("CreateTaskBatch").WithSummary("Create up to 1,000 tasks, of one queue or several, all or none").WithJsonBody<TaskCreateRequest[]>();
        api.MapGet("/read/{guid}", Read).WithName("ReadTask").WithSummary("Read a task by GUID, or the newest live task of that name").Produces<TaskView>();
        api.MapPost("/filter/read/{queue}", FilterRead).WithName("FilterReadTask").WithSummary("The task (body Name: GUID or name) of a queue").WithJsonBody<TaskFilterRequest>().Produces<TaskView>();
        api.MapPost("/filter/read/{queue}/{filters}", FilterRead).WithName("FilterReadTaskWithFilters").WithSummary("The task (body Name) of a queue that passes the filters").WithJsonBody<TaskFilterRequest>().Produces<TaskView>();
        api.MapPost("/filter/list", FilterList).WithName("FilterListTasks").WithSummary("A queue's tasks (body Name: the queue), filtered and paged").WithJsonBody<TaskFilterRequest>().Produces<TaskView[]>();
        api.MapPost("/filter/list/{queue}", FilterList).WithName("FilterListQueueTasks").WithSummary("A queue's tasks, filtered and paged").WithJsonBody<TaskFilterRequest>().Produces<TaskView[]>();
        api.MapPost("/filter/list/{queue}/{filters}", FilterList).WithName("FilterListQueueTasksWithFilters").WithSummary("A queue's tasks, filtered (status=0;tag=urgent) and paged").WithJsonBody<TaskFilterRequest>().Produces<TaskView[]>();
        api.MapPut("/update", Update).WithName("UpdateTask").WithSummary("Update a task; Status 2 or 3 (with Result) completes it").WithJsonBody<TaskUpdateRequest>();
        api.MapDelete("/delete/{guid}", Delete).WithName("DeleteTask").WithSummary("Delete a task");
        api.MapPut("/addTag", AddTag).WithName("AddTaskTags").WithSummary("Add tags (\"a;b;\") to a task").WithJsonBody<TaskTagRequest>();
        api.MapDelete("/removeTag", RemoveTag).WithName("RemoveTaskTags").WithSummary("Remove tags (\"a;b;\") from a task").WithJsonBody<TaskTagRequest>();
        api.MapPost("/next", Next).WithName("TakeNextTask").WithSummary("Robot protocol: take the next eligible task of a queue (204 when none)").WithJsonBody<TaskNextRequest>().Produces<TaskView>();
        return api;
    }

    public static async Task<IResult> Create(
        HttpRequest request, Resource<IQueueGrain> queues, QueueRecords records, IOptions<QueueOptions> options)
    {
        var body = await RequestBody.ReadAsync<TaskCreateRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        var caller = request.HttpContext.Caller();
        var queue = await QueueApi.ResolveAsync(caller, r.QueueGuid, nameof(r.QueueGuid), queues, records);
        if (queue.Problem is not null)
        {
            return queue.Problem;
        }

        var draft = r.ToDraft(Guid.NewGuid());
        if (TaskFields.Payload(draft.Parameters, nameof(r.Parameters), options.Value.MaxPayloadBytes) is { } tooLarge)
        {
            return tooLarge;
        }

        var created = await queues.Grain(queue.Value).CreateTasksAsync(caller.AccountId, [draft]);
        return created.Result switch
        {
            WriteResult.Done => TypedResults.Json(CreatedView.Of(draft.Guid, created.Ids[0])),

            // The queue named by GUID is not the caller's, or is gone.
            WriteResult.NotFound => queues.NotFound(),
            _ => Answer(created.Result, queues, "Name"),
        };
    }

    public static async Task<IResult> CreateBatch(
        HttpRequest request, Resource<IQueueGrain> queues, QueueRecords records, IOptions<QueueOptions> options)
    {
        var body = await RequestBody.ReadAsync<List<TaskCreateRequest?>>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var items = body.Value!;
        if (items.Count is 0 or > MaxBatch)
        {
            return Problems.Field("body", $"must be an array of 1 to {MaxBatch} tasks.");
        }

        var caller = request.HttpContext.Caller();
        var drafts = new List<TaskDraft>(items.Count);
        var resolved = new Dictionary<string, Guid>(StringComparer.Ordinal);
        var queueOfTask = new List<Guid>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var prefix = $"[{i}].";
            if (items[i] is not { } item)
            {
                return Problems.Field($"[{i}]", "must be a task object.");
            }

            if (item.Validate(prefix) is { } invalid)
            {
                return invalid;
            }

            var reference = item.QueueGuid!.Trim();
            if (!resolved.TryGetValue(reference, out var guid))
            {
                var found = await QueueApi.ResolveAsync(caller, reference, prefix + nameof(item.QueueGuid), queues, records);
                if (found.Problem is not null)
                {
                    return found.Problem;
                }

                resolved[reference] = guid = found.Value;
            }

            queueOfTask.Add(guid);
            var draft = item.ToDraft(Guid.NewGuid());
            if (TaskFields.Payload(draft.Parameters, prefix + nameof(item.Parameters), options.Value.MaxPayloadBytes) is { } tooLarge)
            {
                return tooLarge;
            }

            drafts.Add(draft);
        }

        // One queue's grain commits the whole batch in one transaction, whichever queues it names: all or nothing.
        var queue = queues.Grain(queueOfTask[0]);
        var created = queueOfTask.TrueForAll(q => q == queueOfTask[0])
            ? await queue.CreateTasksAsync(caller.AccountId, drafts)
            : await queue.CreateTasksInQueuesAsync(caller.AccountId, drafts, queueOfTask);
        if (created.Result != WriteResult.Done)
        {
            var index = Math.Max(created.FailedIndex, 0);
            return created.Result == WriteResult.NotFound
                ? queues.NotFound()
                : Answer(created.Result, queues, $"[{index}].Name");
        }

        return TypedResults.Json(drafts.Select((d, i) => CreatedView.Of(d.Guid, created.Ids[i])));
    }

    public static async Task<IResult> Read(string guid, HttpContext http, TaskRecords tasks)
    {
        var task = await FindAsync(http.Caller(), PathSegment.Decode(guid), tasks, queueId: null);
        return task is null ? Problems.NotFound("Task") : TypedResults.Json(TaskView.From(task));
    }

    public static async Task<IResult> FilterRead(
        string queue, string? filters, HttpRequest request, Resource<IQueueGrain> queues, QueueRecords records, TaskRecords tasks, JobRecords jobs)
    {
        var body = await RequestBody.ReadAsync<TaskFilterRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var caller = request.HttpContext.Caller();
        if (Validation.Required(body.Value!.Name, "Name") is { } missing)
        {
            return missing;
        }

        var owned = await QueueApi.ResolveOwnedAsync(caller, PathSegment.Decode(queue), "queue", queues, records);
        if (owned.Problem is not null)
        {
            return owned.Problem;
        }

        var (filter, problem) = await ReadFilterAsync(caller, filters, body.Value, jobs);
        if (filter is null)
        {
            return problem!;
        }

        var name = body.Value.Name!.Trim();
        filter = Guid.TryParse(name, out var guid) ? filter with { Guid = guid } : filter with { Name = name };
        var found = await tasks.FilterAsync(owned.Value.Id, filter with { NamePrefix = null, Skip = 0, Take = int.MaxValue });
        return found.Count == 0 ? Problems.NotFound("Task") : TypedResults.Json(TaskView.From(found[^1]));
    }

    public static async Task<IResult> FilterList(
        string? queue, string? filters, HttpRequest request, Resource<IQueueGrain> queues, QueueRecords records, TaskRecords tasks, JobRecords jobs)
    {
        var body = await RequestBody.ReadAsync<TaskFilterRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        var caller = request.HttpContext.Caller();
        var owned = queue is null
            ? await QueueApi.ResolveOwnedAsync(caller, r.Name, "Name", queues, records)
            : await QueueApi.ResolveOwnedAsync(caller, PathSegment.Decode(queue), "queue", queues, records);
        if (owned.Problem is not null)
        {
            return owned.Problem;
        }

        var (filter, problem) = await ReadFilterAsync(caller, filters, r, jobs);
        if (filter is null)
        {
            return problem!;
        }

        // With the queue in the path, the body's Name is the name filter (a prefix), as in the path, unless it names
        // that same queue: the vendor document's clients send the queue in both places.
        if (queue is not null && !string.IsNullOrWhiteSpace(r.Name) && filter.NamePrefix is null
            && !await NamesQueueAsync(caller, r.Name, owned.Value.Guid, queues, records))
        {
            filter = filter with { NamePrefix = r.Name.Trim() };
        }

        var found = await tasks.FilterAsync(owned.Value.Id, filter);
        return TypedResults.Json(found.Select(TaskView.From));
    }

    public static async Task<IResult> Update(
        HttpRequest request, Resource<IQueueGrain> queues, QueueRecords records, TaskRecords tasks, TakenTasks taken, IOptions<QueueOptions> options)
    {
        var body = await RequestBody.ReadAsync<TaskUpdateRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        var limit = options.Value.MaxPayloadBytes;
        if ((TaskFields.Payload(r.Change.Parameters, nameof(r.Parameters), limit) ?? TaskFields.Payload(r.Change.Result, nameof(r.Result), limit)) is { } tooLarge)
        {
            return tooLarge;
        }

        var caller = request.HttpContext.Caller();

        // A task this silo handed out goes straight to its queue's grain: no look-up of its row first.
        if (string.IsNullOrWhiteSpace(r.QueueGuid) && Guid.TryParse(r.Guid, out var taskGuid) && taken.TryTakeQueueOf(taskGuid, out var ofQueue))
        {
            var done = await queues.Grain(ofQueue).UpdateTaskAsync(caller.AccountId, taskGuid, r.Change);
            if (done != WriteResult.Conflict)
            {
                return Answer(done, queues, nameof(r.Name));
            }
        }

        long? inQueue = null;
        if (!string.IsNullOrWhiteSpace(r.QueueGuid))
        {
            var owned = await QueueApi.ResolveOwnedAsync(caller, r.QueueGuid, nameof(r.QueueGuid), queues, records);
            if (owned.Problem is not null)
            {
                return owned.Problem;
            }

            inQueue = owned.Value.Id;
        }

        if (await tasks.LocateAsync(caller.AccountId, r.Guid!, inQueue, orId: true) is not var (task, queueGuid))
        {
            return Problems.NotFound("Task");
        }

        if (inQueue is { } queueId && queueId != task.QueueId)
        {
            return Problems.Conflict(nameof(r.QueueGuid), "A task stays in the queue it was created in; create it in the other queue instead.");
        }

        var result = await queues.Grain(queueGuid).UpdateTaskAsync(caller.AccountId, task.Guid, r.Change);
        return result == WriteResult.Conflict
            ? Problems.Conflict(nameof(r.Status), $"A task cannot go from {task.Status} to {r.Change.Status}.")
            : Answer(result, queues, nameof(r.Name));
    }

    public static async Task<IResult> Delete(string guid, HttpContext http, Resource<IQueueGrain> queues, TaskRecords tasks)
    {
        var caller = http.Caller();
        var located = await LocateAsync(caller, PathSegment.Decode(guid), tasks);
        if (located is not { } task)
        {
            return Problems.NotFound("Task");
        }

        var result = await queues.Grain(task.Queue).DeleteTaskAsync(caller.AccountId, task.Task);
        return result == WriteResult.Done ? Deleted : Answer(result, queues, "guid");
    }

    public static Task<IResult> AddTag(HttpRequest request, Resource<IQueueGrain> queues, TaskRecords tasks) =>
        Tag(request, queues, tasks, add: true);

    public static Task<IResult> RemoveTag(HttpRequest request, Resource<IQueueGrain> queues, TaskRecords tasks) =>
        Tag(request, queues, tasks, add: false);

    public static async Task<IResult> Next(
        HttpRequest request, Resource<IQueueGrain> queues, QueueRecords records, Resource<IRobotGrain> robots, Resource<IJobGrain> jobs, TakenTasks taken)
    {
        var body = await RequestBody.ReadAsync<TaskNextRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        var caller = request.HttpContext.Caller();
        var queue = await QueueApi.ResolveAsync(caller, r.QueueGuid, nameof(r.QueueGuid), queues, records);
        if (queue.Problem is not null)
        {
            return queue.Problem;
        }

        if (r.JobId is not null)
        {
            var job = await jobs.ResolveAsync(caller, r.JobGuid, nameof(r.JobGuid));
            if (job.Problem is not null)
            {
                return job.Problem;
            }

            r.Job = job.Value;
        }

        // The robot's loop: a job and the robot's GUID. The job is checked inside the take's own transaction, so
        // the take is one grain call; only when that check refuses is the job's grain asked which answer it is.
        if (r.Job is { } forJob && RobotGuidOrNone(r.RobotGuid, out var byRobot))
        {
            var fast = await queues.Grain(queue.Value).TakeForJobAsync(caller.AccountId, forJob, byRobot);
            if (fast.Result == WriteResult.Done)
            {
                return Taken(fast, queue.Value, taken);
            }
        }

        return await TakeCheckedAsync(caller, r, queue.Value, queues, robots, jobs, taken);
    }

    /// <summary>
    /// The take with every check made before it, each answered as API.md §9 says: the job through its grain (404 when
    /// not the caller's, 409 when not Running), then the robot, then the queue.
    /// </summary>
    private static async Task<IResult> TakeCheckedAsync(
        Caller caller, TaskNextRequest r, Guid queueGuid, Resource<IQueueGrain> queues, Resource<IRobotGrain> robots, Resource<IJobGrain> jobs, TakenTasks taken)
    {
        JobInfo? job = null;
        if (r.Job is { } jobGuid)
        {
            // A task is bound to a job the robot runs: one of the caller's jobs, and Running.
            job = await jobs.Grain(jobGuid).GetAsync(caller.AccountId);
            if (job is null)
            {
                return jobs.NotFound();
            }

            if (job.Status != JobStatus.Running)
            {
                return Problems.Conflict(nameof(r.JobGuid), "The job is not Running: tasks are taken only for a running job.");
            }
        }

        Guid? robot = null;
        if (!string.IsNullOrWhiteSpace(r.RobotGuid))
        {
            var found = await robots.ResolveAsync(caller, r.RobotGuid, nameof(r.RobotGuid));
            if (found.Problem is not null)
            {
                return found.Problem;
            }

            // The robot that holds the caller's job is the caller's: only another robot needs looking up.
            if (found.Value != job?.RobotGuid && await robots.ResolveIdAsync(caller, found.Value.ToString(), nameof(r.RobotGuid)) is { Problem: { } notFound })
            {
                return notFound;
            }

            // A robot takes tasks for the job it runs, as it reports only on that job (job/update answers 409 too).
            if (job is not null && found.Value != job.RobotGuid)
            {
                return Problems.Conflict(nameof(r.RobotGuid), "The job runs on another robot: a robot takes tasks only for its own job.");
            }

            robot = found.Value;
        }

        var next = await queues.Grain(queueGuid).TakeAsync(caller.AccountId, r.Job, robot);
        return next.Result == WriteResult.Done ? Taken(next, queueGuid, taken) : queues.NotFound();
    }

    /// <summary>A take's answer: the task handed out, or 204 when none was eligible.</summary>
    private static IResult Taken(TaskTaken next, Guid queue, TakenTasks taken)
    {
        if (next.Task is not { } task)
        {
            return TypedResults.NoContent();
        }

        taken.Taken(task.Guid, queue);
        return new TaskAnswer(task);
    }

    /// <summary>The robot of a take when it is named by GUID, or none named; false for any other reference (an id to look up).</summary>
    private static bool RobotGuidOrNone(string? reference, out Guid? robot)
    {
        robot = null;
        if (string.IsNullOrWhiteSpace(reference))
        {
            return true;
        }

        if (!Guid.TryParse(reference.AsSpan().Trim(), out var guid))
        {
            return false;
        }

        robot = guid;
        return true;
    }

    private static async Task<IResult> Tag(HttpRequest request, Resource<IQueueGrain> queues, TaskRecords tasks, bool add)
    {
        var body = await RequestBody.ReadAsync<TaskTagRequest>(request);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var r = body.Value!;
        var caller = request.HttpContext.Caller();
        if (await LocateAsync(caller, r.TaskGuid!, tasks) is not { } task)
        {
            return Problems.NotFound("Task");
        }

        var tags = TaskFields.SplitTags(r.TagNames).ToList();
        var result = await queues.Grain(task.Queue).TagTaskAsync(caller.AccountId, task.Task, add ? tags : [], add ? [] : tags);
        return Answer(result, queues, nameof(r.TaskGuid));
    }

    /// <summary>A task reference: a GUID, else a name (the newest live task of that name).</summary>
    private static async Task<TaskRecord?> FindAsync(Caller caller, string reference, TaskRecords tasks, long? queueId)
    {
        var text = reference.Trim();
        return Guid.TryParse(text, out var guid)
            ? await tasks.FindAsync(caller.AccountId, guid)
            : await tasks.FindByNameAsync(caller.AccountId, text, queueId);
    }

    /// <summary>The task a reference names and the queue whose grain writes it.</summary>
    /// <summary>The task a path segment or a body names: its GUID, its name, or its numeric id (API.md §1).</summary>
    private static async Task<(Guid Task, Guid Queue)?> LocateAsync(Caller caller, string reference, TaskRecords tasks) =>
        await tasks.LocateAsync(caller.AccountId, reference, orId: true) is var (task, queue) ? (task.Guid, queue) : null;

    /// <summary>Whether a reference (GUID, id or name) is that queue's.</summary>
    private static async Task<bool> NamesQueueAsync(Caller caller, string reference, Guid queue, Resource<IQueueGrain> queues, QueueRecords records) =>
        await QueueApi.ResolveAsync(caller, reference, "Name", queues, records) is { Problem: null } resolved && resolved.Value == queue;

    private static IResult Answer(WriteResult result, Resource<IQueueGrain> queues, string nameField) => result switch
    {
        WriteResult.Done => Empty.Ok,
        WriteResult.NameTaken => Problems.Conflict(nameField, "The queue has UniqueTasks and a live task of this name already."),
        WriteResult.Conflict => Problems.Conflict(nameField, "The task is in a state that does not allow this."),
        _ => Problems.NotFound("Task"),
    };

    /// <summary>
    /// Reads the filters of the path (<c>status=0;tag=urgent</c>) over those of the body: <c>status</c>, <c>tag</c>,
    /// <c>name</c> (prefix), <c>priority</c>, <c>job</c>, <c>createdFrom</c>, <c>createdTo</c>, <c>deadlineBefore</c>,
    /// <c>skip</c>, <c>take</c> (default 100, at most 1,000), and <c>after</c> (an id: the tasks after it).
    /// </summary>
    private static async Task<(TaskFilter? Filter, IResult? Problem)> ReadFilterAsync(Caller caller, string? path, TaskFilterRequest body, JobRecords jobs)
    {
        if (!TryReadFilter(path, body, out var filter, out var jobId, out var problem))
        {
            return (null, problem);
        }

        // A job named by its id: one of the caller's, else no task matches (as for a GUID that names no job).
        return jobId is { } id ? (filter with { Job = await jobs.FindGuidAsync(caller.AccountId, id) ?? Guid.Empty }, null) : (filter, null);
    }

    private static bool TryReadFilter(string? path, TaskFilterRequest body, out TaskFilter filter, out long? jobId, out IResult? problem)
    {
        filter = new TaskFilter();
        jobId = null;
        problem = null;
        var fields = body.Filters();
        if (!string.IsNullOrWhiteSpace(path))
        {
            foreach (var pair in PathSegment.Decode(path).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var at = pair.IndexOf('=');
                if (at <= 0)
                {
                    problem = Problems.Field("filters", $"'{pair}' is not a field=value pair.");
                    return false;
                }

                fields[pair[..at].Trim()] = pair[(at + 1)..].Trim();
            }
        }

        foreach (var (field, value) in fields)
        {
            problem = field.ToLowerInvariant() switch
            {
                "status" => Validation.TryEnum<QueueTaskStatus>(value, out var status)
                    ? Set(ref filter, filter with { Status = status })
                    : Problems.Field(field, "must be a task status: 0 New, 1 InProgress, 2 Successful, 3 Failed, 4 Abandoned, 5 Retried."),
                "tag" => Validation.Line(value, field, 64) ?? Set(ref filter, filter with { Tag = value }),
                "name" => Validation.Line(value, field) ?? Set(ref filter, filter with { NamePrefix = value }),
                "priority" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var priority) && priority is >= 0 and <= 2
                    ? Set(ref filter, filter with { Priority = priority })
                    : Problems.Field(field, "must be a priority: 0 low, 1 normal, 2 high."),
                "job" => Guid.TryParse(value, out var job) ? Set(ref filter, filter with { Job = job })
                    : long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? SetJobId(out jobId, id)
                    : Problems.Field(field, "must be a GUID or a numeric id."),
                "createdfrom" => Time(field, value, out var from) ?? Set(ref filter, filter with { CreatedFrom = from }),
                "createdto" => Time(field, value, out var to) ?? Set(ref filter, filter with { CreatedTo = to }),
                "deadlinebefore" => Time(field, value, out var before) ?? Set(ref filter, filter with { DeadlineBefore = before }),
                "skip" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var skip)
                    ? Set(ref filter, filter with { Skip = skip })
                    : Problems.Field(field, "must be a non-negative integer."),
                "take" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var take) && take is >= 1 and <= Paging.MaxPage
                    ? Set(ref filter, filter with { Take = take })
                    : Problems.Field(field, $"must be an integer from 1 to {Paging.MaxPage}."),
                "after" => long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var after)
                    ? Set(ref filter, filter with { After = after })
                    : Problems.Field(field, "must be a task id."),
                _ => Problems.Field(field, "is not a task filter: status, tag, name, priority, job, createdFrom, createdTo, deadlineBefore, skip, take, after."),
            };
            if (problem is not null)
            {
                return false;
            }
        }

        return true;

        static IResult? Time(string field, string value, out DateTimeOffset time)
        {
            var invalid = Times.Optional(value, field, out var parsed);
            time = parsed ?? default;
            return invalid;
        }
    }

    private static IResult? SetJobId(out long? jobId, long id)
    {
        jobId = id;
        return null;
    }

    private static IResult? Set(ref TaskFilter filter, TaskFilter changed)
    {
        filter = changed;
        return null;
    }
}
