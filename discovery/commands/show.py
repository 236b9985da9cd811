"""``discover show ID``: one conjecture, whole."""

NAME = "show"
HELP = "show one conjecture with all its fields"
DESCRIPTION = HELP


def add_arguments(p) -> None:
    p.add_argument("id", metavar="ID", help="conjecture id (see `discover list`)")


def run(args, ctx) -> int:
    import json

    from discovery.errors import UserError
    from discovery.output import print_json_lines, record_json

    try:
        cid = int(args.id)
    except ValueError:
        raise UserError(f"conjecture id must be an integer, got {args.id!r}") from None
    rec = ctx.open_existing_store().get(cid)
    if args.json:
        print_json_lines([rec])
        return 0
    for key, value in record_json(rec).items():
        if key == "meta":
            text = json.dumps(value, indent=2, default=str)
            if len(text) > 4000:
                text = text[:4000] + "\n  ... (meta truncated; use --json for all of it)"
            print(f"{key:>14}: {text}")
        else:
            print(f"{key:>14}: {value}")
    print(f"{'status':>14}: {rec['status']}")
    return 0
