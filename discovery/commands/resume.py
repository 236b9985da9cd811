"""``discover resume RUN_ID``: re-run only the tasks of a run that the store has not marked done."""

NAME = "resume"
HELP = "resume an interrupted run: only the tasks not marked done are re-run"
DESCRIPTION = HELP


def add_arguments(p) -> None:
    p.add_argument("run_id", metavar="RUN_ID", help="the run to resume (see `discover list --runs`)")


def engine_module(engine_name: str):
    from discovery.cli import command_modules
    from discovery.errors import UserError

    for mod in command_modules():
        if engine_name in getattr(mod, "ENGINES", ()):
            return mod
    raise UserError(f"no command can rebuild engine {engine_name!r}")


def run(args, ctx) -> int:
    from discovery.runner import resume_engine

    store = ctx.open_existing_store()
    run_info = store.get_run(args.run_id)
    pending = store.pending_tasks(args.run_id)
    if not pending:
        ctx.log(f"run {args.run_id} has no unfinished tasks")
        ctx.emit(store.query(run_id=args.run_id))
        return 0
    engine = engine_module(run_info["engine"]).build_engine(run_info["engine"], run_info["params"])
    ctx.log(f"resuming run {args.run_id}: {len(pending)} unfinished tasks")
    result = resume_engine(engine, store=store, run_id=args.run_id, options=ctx.options)
    ctx.emit(store.query(run_id=args.run_id))
    ctx.log(f"run {args.run_id}: {result.status}, {result.n_done} tasks completed now")
    return 0
