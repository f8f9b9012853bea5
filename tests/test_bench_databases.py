"""`make bench` never shares a PostgreSQL database between runs (issue 15): benchmarks/databases.py."""

from benchmarks import databases


def test_each_run_gets_a_database_name_of_its_own():
    first = databases.unique_name("partnership_register_bench", pid=4242, now=0)
    assert first == "partnership_register_bench_4242_19700101000000"
    assert databases.unique_name("partnership_register_bench", pid=4243, now=0) != first
    assert databases.unique_name("partnership_register_bench", pid=4242, now=1) != first


def test_a_long_prefix_is_cut_to_postgresqls_63_bytes_keeping_the_run():
    name = databases.unique_name("bench_" + "x" * 80, pid=99999, now=0)
    assert len(name) == 63 and name.startswith("bench_") and name.endswith("_99999_19700101000000")


def test_the_url_names_the_runs_database():
    url = "postgres://root@%2Fvar%2Frun%2Fpostgresql/pr_bench?sslmode=disable"
    assert databases.with_name(url, "pr_bench_1_2") == "postgres://root@%2Fvar%2Frun%2Fpostgresql/pr_bench_1_2?sslmode=disable"


def test_it_refuses_a_database_without_bench_in_its_name(monkeypatch):
    monkeypatch.setenv("BENCH_DATABASE_URL", "postgres://root@localhost/partnership_register")
    target = databases.postgres()
    assert target.url is None and "must contain 'bench'" in target.skipped


def test_a_prepared_database_is_used_only_when_named_and_never_dropped(monkeypatch):
    monkeypatch.delenv("BENCH_NATIONAL_DATABASE_URL", raising=False)
    assert databases.prepared_postgres("PostgreSQL, national") is None
    monkeypatch.setenv("BENCH_NATIONAL_DATABASE_URL", "postgres://root@localhost/national_bench")
    prepared = databases.prepared_postgres("PostgreSQL, national")
    assert prepared.prepared and prepared.url.endswith("/national_bench")
    dropped = []
    monkeypatch.setattr(databases, "_execute", lambda config, *statements: dropped.append(config["NAME"]))
    databases.drop(prepared)
    databases.drop(databases.Target("PostgreSQL", "postgres://root@localhost/pr_bench_1_2"))
    assert dropped == ["pr_bench_1_2"]


def test_a_run_of_some_parts_keeps_the_other_parts_rows_in_the_report(tmp_path, monkeypatch):
    from benchmarks import run

    monkeypatch.setattr(run, "REPORT", tmp_path / "performance.md")
    monkeypatch.setattr(run.machine, "describe", lambda: ["CPUs (nproc): 2"])
    everything = [("register", "SQLite 3.40.1", "36.4 ms median", "<= 50 ms", "PASS", ""),
                  ("register", "PostgreSQL 15.20", "41.3 ms median", "<= 50 ms", "PASS", ""),
                  ("register, unfiltered", "PostgreSQL 15.20, national", "157.1 ms median", "<= 25 ms", "MISS", "a | b")]
    run.write_report(everything, ["3 targets"], list(run.PARTS))
    run.write_report([("register", "SQLite 3.40.1", "30.0 ms median", "<= 50 ms", "PASS", "")], ["1 target"],
                     ["sqlite"])
    report = run.REPORT.read_text()
    table = [line for line in report.splitlines() if line.startswith("| register")]
    assert [line.split(" | ")[1:3] for line in table] == [
        ["SQLite 3.40.1", "30.0 ms median"],  # new
        ["PostgreSQL 15.20", "41.3 ms median"],  # kept, in the parts' order
        ["PostgreSQL 15.20, national", "157.1 ms median"],
    ]
    assert "a \\| b" in table[2]
    assert "Rows of the parts not run this time (postgresql, national) are kept from the run of" in report
