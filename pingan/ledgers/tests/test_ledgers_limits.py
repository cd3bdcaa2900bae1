"""Nothing a user uploads may exhaust memory or time (finding 11): hostile files are built here and must be
refused quickly, with a Chinese message, in bounded memory; each limit is a setting."""
from __future__ import annotations

import io
import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pingan import ledgers
from pingan.ledgers.readers import LedgerFileError, ReadLimits, open_ledger
from pingan.hazards.models import Hazard
from pingan.hazards.tests.test_ledger import HEADERS, row
from pingan.jobs.models import Job

from . import hostile_files

MB = 1024 * 1024
# Time bounds leave room for a busy shared machine (several test runs on two cores); unbounded reading of
# these files takes minutes and gigabytes, so the bounds still tell the difference.


def read_all(data: bytes, name: str, limits: ReadLimits | None = None) -> list:
    sheet = open_ledger(io.BytesIO(data), name, limits)
    return list(sheet.rows)


def consume(data: bytes, name: str, limits: ReadLimits | None = None) -> int:
    """Read every row and keep none (what the engine does with a batch at a time)."""
    count = 0
    for _ in open_ledger(io.BytesIO(data), name, limits).rows:
        count += 1
    return count


def measured(func):
    """(exception raised, seconds, peak traced bytes) of func()."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        func()
    except LedgerFileError as exc:
        error = exc
    else:
        error = None
    seconds = time.monotonic() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return error, seconds, peak


def test_a_1_mb_xlsx_whose_shared_strings_inflate_to_1_gb_is_refused_before_parsing():
    bomb = hostile_files.shared_string_bomb(HEADERS, megabytes=1024)
    assert len(bomb) < 1.5 * MB
    error, seconds, peak = measured(lambda: read_all(bomb, "bomb.xlsx"))
    assert error is not None and "共享字符串表" in str(error) and "1024 MB" in str(error) and "超过上限 100 MB" in str(error)
    assert seconds < 2 and peak < 5 * MB


def test_the_shared_strings_limit_is_a_setting(settings):
    bomb = hostile_files.shared_string_bomb(HEADERS, megabytes=3)
    settings.PINGAN_XLSX_MAX_SHARED_STRINGS_MB = 2
    settings.PINGAN_XLSX_MAX_RATIO = 100_000
    with pytest.raises(LedgerFileError, match="超过上限 2 MB"):
        read_all(bomb, "bomb.xlsx")


def test_an_absurd_compression_ratio_is_refused_even_under_the_size_limits():
    bomb = hostile_files.shared_string_bomb(HEADERS, megabytes=50)  # 50 MB of "A": far under 100 MB
    with pytest.raises(LedgerFileError, match="压缩比异常"):
        read_all(bomb, "bomb.xlsx")


def test_an_xlsx_of_20_million_empty_rows_is_refused_quickly_in_bounded_memory():
    flood = hostile_files.empty_rows(HEADERS, rows=20_000_000)
    assert len(flood) < 1.5 * MB
    error, seconds, peak = measured(lambda: consume(flood, "rows.xlsx"))
    assert error is not None and ("压缩比异常" in str(error) or "行数超过上限" in str(error))
    assert seconds < 15 and peak < 20 * MB


def test_20_million_empty_rows_stop_at_the_row_cap_when_the_ratio_allows_the_file():
    flood = hostile_files.empty_rows(HEADERS, rows=20_000_000)
    limits = ReadLimits(max_ratio=1_000_000)
    error, seconds, peak = measured(lambda: consume(flood, "rows.xlsx", limits))
    assert str(error) == "数据行数超过上限：每个文件最多 200000 行数据（不含第 1 行列名），请拆分文件后分批导入。"
    assert seconds < 30 and peak < 20 * MB


def test_a_row_numbered_20_million_stops_at_the_cap_instead_of_filling_the_gap():
    far = hostile_files.far_row(HEADERS, row_number=20_000_000)
    error, seconds, peak = measured(lambda: consume(far, "far.xlsx"))
    assert error is not None and "行数超过上限" in str(error)
    assert seconds < 40 and peak < 20 * MB


def test_the_row_cap_is_a_setting_and_counts_data_rows_only(settings, tmp_path):
    settings.PINGAN_LEDGER_MAX_ROWS = 3
    lines = [",".join(HEADERS)] + [",".join(row(number=f"YH-{i}")) for i in range(3)]
    assert len(read_all(("\n".join(lines) + "\n").encode(), "h.csv")) == 3
    lines.append(",".join(row(number="YH-9")))
    with pytest.raises(LedgerFileError, match="最多 3 行数据"):
        read_all(("\n".join(lines) + "\n").encode(), "h.csv")


def test_a_csv_of_millions_of_rows_stops_at_the_cap_quickly():
    data = (",".join(HEADERS) + "\n").encode() + b"x\n" * 3_000_000
    error, seconds, peak = measured(lambda: consume(data, "big.csv"))
    assert error is not None and "最多 200000 行数据" in str(error)
    assert seconds < 40 and peak < 20 * MB


def test_an_overlong_cell_stops_the_reading_with_its_row_and_column():
    data = (",".join(HEADERS) + "\n").encode() + b"YH-1," + b"9" * 20_000 + b"\n"
    with pytest.raises(LedgerFileError, match="第 2 行第 2 列的内容过长（20000 字），每个单元格最多 10000 字"):
        read_all(data, "long.csv")


def test_a_cell_over_the_csv_modules_own_limit_gets_our_message(settings):
    settings.PINGAN_LEDGER_MAX_CELL_CHARS = 200_000
    data = (",".join(HEADERS) + "\n").encode() + b'"' + b"9" * 300_000 + b'"\n'
    with pytest.raises(LedgerFileError, match="内容过长"):
        read_all(data, "long.csv")


def test_too_many_columns_are_refused():
    headers = [f"列{i}" for i in range(250)]
    with pytest.raises(LedgerFileError, match="列数过多（超过 200 列）"):
        read_all((",".join(headers) + "\n1\n").encode(), "wide.csv")


def test_a_gb18030_csv_is_still_read_in_streaming_mode():
    text = ",".join(HEADERS) + "\n" + ",".join(row()) + "\n"
    rows = read_all(text.encode("gb18030"), "h.csv")
    assert rows == [(2, row())]


@pytest.mark.django_db
def test_the_engine_reports_a_hostile_file_as_a_file_error_and_writes_nothing(world, tmp_path):
    path = tmp_path / "flood.xlsx"
    path.write_bytes(hostile_files.empty_rows(HEADERS, rows=20_000_000))
    result = ledgers.import_ledger(ledgers.get("hazards"), str(path), user=world.users["district_admin"])
    assert not result.ok and "已拒绝读取" in result.file_error and Hazard.objects.count() == 0


@pytest.mark.django_db
def test_the_web_refuses_a_zip_bomb_at_once_without_queueing_a_job(world, login):
    client = login(world.officer("a"))
    bomb = SimpleUploadedFile("h.xlsx", hostile_files.shared_string_bomb(HEADERS, megabytes=1024))
    started = time.monotonic()
    response = client.post(reverse("ledgers:upload"), {"kind": "hazards", "file": bomb})
    assert response.status_code == 400 and "共享字符串表" in response.content.decode()
    assert time.monotonic() - started < 20  # the whole request, on a busy machine; unbounded it takes minutes
    assert Job.objects.count() == 0


@pytest.mark.django_db
def test_the_import_command_shows_progress_refuses_past_the_cap_and_max_rows_raises_it(world, tmp_path, settings):
    from django.core.management import call_command

    settings.PINGAN_LEDGER_MAX_ROWS = 2
    path = tmp_path / "h.csv"
    lines = [",".join(HEADERS)] + [",".join(row(number=f"YH-{i}")) for i in range(3)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def cli(*extra):
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command("import_ledger", "hazards", str(path), "--user", "district_admin", *extra,
                         stdout=out, stderr=err)
            return 0, out.getvalue(), err.getvalue()
        except SystemExit as exc:
            return exc.code, out.getvalue(), err.getvalue()

    code, _, err = cli()
    assert code == 1 and "最多 2 行数据" in err and Hazard.objects.count() == 0
    code, out, err = cli("--max-rows", "3")
    assert code == 0, err
    assert "已处理 3 / 3 行" in err and "新增 3 条" in out and Hazard.objects.count() == 3


def test_a_row_of_a_million_cells_is_refused_before_openpyxl_builds_it():
    wide = hostile_files.wide_row(HEADERS, cells=1_000_000)
    error, seconds, peak = measured(lambda: consume(wide, "wide.xlsx", ReadLimits(max_ratio=1_000_000)))
    assert str(error) == "Excel 文件的工作表中有一行超过 16384 个单元格，不像正常的台账文件，已拒绝读取。"
    assert seconds < 15 and peak < 20 * MB
