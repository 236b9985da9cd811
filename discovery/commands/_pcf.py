"""The PCF half of ``discover constants``: ``--method pcf`` and ``--cluster``.

``discover constants TARGET --method pcf --a-coeffs SPEC --b-coeffs SPEC [--depth N] [--digits D]
[--scan-depth N] [--lhs-coeff-limit L] [--cluster]``

SPEC is a comma list, highest degree first, of ``lo..hi`` ranges or fixed integers (``--a-coeffs 0..3,1..5
--b-coeffs 0..2,-4..4,0``).  Hits of the float64 screen are refined with exact convergents at ``--depth``
(default 2000) to ``max(100, --digits)`` digits and validated at ``--digits``.  ``--cluster`` groups the run's
PCFs by (delta, convergence rate, eigenvalue ratio) and links Möbius-related limits into families, and records
both in the store's ``clusters`` table.  This module is loaded by ``discovery/commands/constants.py``; it has no
``NAME`` so the CLI does not register it as a subcommand of its own.
"""

PCF_DEPTH = 2000
PCF_REFINE_DIGITS = 100
PCF_SCAN_DEPTH = 100


def add_arguments(p) -> None:
    g = p.add_argument_group("PCF options (--method pcf)")
    g.add_argument("--a-coeffs", metavar="SPEC", default=None,
                   help="box of a(n): comma list, highest degree first, of lo..hi or integers (e.g. 0..3,1..5)")
    g.add_argument("--b-coeffs", metavar="SPEC", default=None,
                   help="box of b(n), same form (e.g. 0..2,-4..4,0 or -2..2,1)")
    g.add_argument("--scan-depth", type=int, default=PCF_SCAN_DEPTH,
                   help=f"depth of the float64 screen (default {PCF_SCAN_DEPTH})")
    g.add_argument("--lhs-coeff-limit", type=int, default=8,
                   help="bound L on the Moebius coefficients (a + b c)/(d + e c) (default 8)")
    g.add_argument("--match-digits", type=int, default=10,
                   help="leading digits the screen must match (default 10)")
    g.add_argument("--pcf-chunk", type=int, default=None, help="PCFs per task (default: about 1/32 of the box)")
    g.add_argument("--keep-rational", action="store_true", help="also record PCFs whose limit is rational")
    g.add_argument("--cluster", action="store_true",
                   help="group the run's PCFs by (delta, convergence rate, eigenvalue ratio) and by Moebius-related "
                        "limits; record the clusters in the store")
    g.add_argument("--cluster-run", metavar="RUN_ID", default=None,
                   help="with --cluster: cluster the PCFs of this stored run instead of searching")


def prepare(args) -> dict:
    """Check the PCF options and return the run parameters (JSON), raising ``UserError`` on bad input."""
    from discovery.commands.constants import resolve_target
    from discovery.errors import UserError
    from search.constants.pcf import PCFBox

    if not args.a_coeffs or not args.b_coeffs:
        raise UserError("--method pcf needs both --a-coeffs SPEC and --b-coeffs SPEC (e.g. --a-coeffs 0..3,1..5 "
                        "--b-coeffs 0..2,-4..4,0)")
    try:
        box = PCFBox.from_specs(args.a_coeffs, args.b_coeffs)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    depth = PCF_DEPTH if args.depth is None else int(args.depth)
    if args.digits < 15:
        raise UserError(f"--digits {args.digits} is too little precision to confirm a PCF (need at least 15)")
    expr, _ = resolve_target(args.target)
    params = {"target": expr, "a_coeffs": args.a_coeffs.replace(" ", ""), "b_coeffs": args.b_coeffs.replace(" ", ""),
              "depth": depth, "digits": max(PCF_REFINE_DIGITS, int(args.digits)), "scan_depth": args.scan_depth,
              "lhs_coeff_limit": args.lhs_coeff_limit, "match_digits": args.match_digits,
              "chunk": args.pcf_chunk, "keep_rational": bool(args.keep_rational), "box_size": box.size}
    build_engine("pcf", params)  # every remaining check (depths, limits, precision) raises here, before any run
    return params


def build_engine(engine_name: str, params: dict):
    """Rebuild the PCF engine from its stored parameters (also used by ``discover resume``)."""
    from discovery.commands.constants import resolve_target
    from discovery.errors import UserError
    from search.constants.pcf import PCFSearch

    if engine_name != "pcf":
        raise UserError(f"unknown engine {engine_name!r} for the PCF search")
    expr, value_fn = resolve_target(params["target"])
    digits = int(params["digits"])
    try:
        return PCFSearch(expr, value_fn(digits + 30), params["a_coeffs"], params["b_coeffs"],
                         depth=params["depth"], digits=digits, scan_depth=params["scan_depth"],
                         lhs_coeff_limit=params["lhs_coeff_limit"], match_digits=params["match_digits"],
                         chunk=params.get("chunk"), keep_rational=params.get("keep_rational", False))
    except ValueError as exc:
        raise UserError(str(exc)) from None


def cluster_run(store, run_id: str, records: list[dict] | None = None) -> list[dict]:
    """Cluster the PCF conjectures of ``run_id`` and record the clusters; returns the stored cluster rows."""
    from search.constants.pcf_cluster import cluster_pcfs, pcf_families

    if records is None:
        records = store.query(run_id=run_id, engine="pcf")
    recs = [r for r in records if r.get("engine") == "pcf" and not (r.get("meta") or {}).get("rational")]
    metas = [dict(r["meta"], _target=r.get("target", "")) for r in recs]
    ids = [r["id"] for r in recs]
    out = []
    for k, c in enumerate(cluster_pcfs(metas), 1):
        members = [ids[i] for i in c["members"]]
        features = {"kind": "dynamics", **c["features"],
                    "pcfs": [[recs[i]["lhs"], recs[i]["rhs"]] for i in c["members"]]}
        cid = store.add_cluster(run_id, f"dynamics-{k}", members, features)
        out.append({"id": cid, "label": f"dynamics-{k}", "members": members, "features": features})
    for k, f in enumerate(pcf_families(metas), 1):
        members = [ids[i] for i in f["members"]]
        features = {"kind": "moebius-family",
                    "edges": [[ids[i], ids[j], rel] for i, j, rel in f["edges"]],
                    "pcfs": [[recs[i]["lhs"], recs[i]["rhs"]] for i in f["members"]]}
        cid = store.add_cluster(run_id, f"family-{k}", members, features)
        out.append({"id": cid, "label": f"family-{k}", "members": members, "features": features})
    return out


def _log_clusters(ctx, clusters: list[dict]) -> None:
    for c in clusters:
        f = c["features"]
        if f["kind"] == "dynamics":
            m = f["mean"]
            ctx.log(f"  {c['label']}: {len(c['members'])} PCFs, delta ~ {m['delta']:.3f}, "
                    f"rate ~ {m['rate']:.3g} digits/term, eigenvalue ratio ~ {m['eigenvalue_ratio']:.3f}")
        else:
            ctx.log(f"  {c['label']}: {len(c['members'])} PCFs with Moebius-related limits")


def run(args, ctx) -> int:
    from discovery.errors import UserError
    from discovery.output import validated_first

    if args.cluster_run:
        if not args.cluster:
            raise UserError("--cluster-run needs --cluster")
        store = ctx.open_existing_store()
        store.get_run(args.cluster_run)  # unknown run -> UserError
        clusters = cluster_run(store, args.cluster_run)
        ctx.log(f"run {args.cluster_run}: {len(clusters)} clusters")
        _log_clusters(ctx, clusters)
        if args.json:
            import json

            for c in clusters:
                print(json.dumps(c, default=str))
        return 0
    if args.method != "pcf":
        raise UserError("--cluster groups PCF formulas: use it with --method pcf, or with --cluster-run RUN_ID")
    params = prepare(args)
    engine = build_engine("pcf", params)
    result = ctx.run(engine, params, target=params["target"])
    records = validated_first(result.records)
    ctx.emit(records)
    n_val = sum(1 for r in records if r["validated"])
    ctx.log(f"run {result.run_id}: {len(records)} PCF formulas ({n_val} validated) for {params['target']} from a box "
            f"of {params['box_size']} PCFs in {result.elapsed:.1f} s")
    if args.cluster:
        clusters = cluster_run(ctx.store, result.run_id, [r for r in records if r["validated"]])
        ctx.log(f"{len(clusters)} clusters recorded")
        _log_clusters(ctx, clusters)
    return 0
