"""The shipped data and the CSV loader: the provenance facts, the mappings, and every refusal."""

from __future__ import annotations

import csv
import hashlib
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from backprop_tui.core.training import csv_file
from backprop_tui.core.training import data as data_module
from backprop_tui.core.training.data import DataError, LoadProgress, bundled, load_csv

SHA256 = {
    "Heart.csv": "8d2f18114152427beb57b7a4df4ab71fd41c010136fdaeaf6f168770f865b368",
    "altered_heart_data.csv": "744517f32951ce26cc46278ebcba0b4a4ddb8b98bc77c19ccfa5067b82bc4936",
}


def write(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


class TestShippedFiles:
    @pytest.mark.parametrize("name", sorted(SHA256))
    def test_the_package_ships_each_file_unchanged(self, name: str) -> None:
        shipped = resources.files("backprop_tui.data") / name
        assert hashlib.sha256(shipped.read_bytes()).hexdigest() == SHA256[name]

    def test_bundled_finds_the_files_through_the_package(self) -> None:
        assert bundled("heart").name == "Heart.csv"
        assert bundled("altered").is_file()
        readme = (resources.files("backprop_tui.data") / "README.md").read_text(encoding="utf-8")
        assert "MIT" in readme and "CC BY 4.0" in readme

    def test_an_unknown_bundled_name_is_refused(self) -> None:
        with pytest.raises(DataError, match="unknown data set 'cars'"):
            bundled("cars")


class TestHeartFacts:
    def test_ahd_has_139_yes_and_164_no(self) -> None:
        heart = load_csv(bundled("heart"), ["MaxHR"], "AHD")
        assert len(heart) == 303 and heart.dropped == 0
        assert heart.positives == 139 and len(heart) - heart.positives == 164
        assert heart.labels == ("No", "Yes")

    def test_maxhr_ranges_over_71_to_202(self) -> None:
        heart = load_csv(bundled("heart"), ["MaxHR"], "AHD")
        assert heart.raw.min() == 71 and heart.raw.max() == 202

    def test_missing_values_are_only_in_ca_and_thal(self) -> None:
        with bundled("heart").open("r", encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        missing = {column: sum(row[column] == "NA" for row in rows) for column in rows[0]}
        assert {column: count for column, count in missing.items() if count} == {"Ca": 4, "Thal": 2}

    def test_rows_missing_ca_are_dropped_and_counted(self) -> None:
        heart = load_csv(bundled("heart"), ["Ca", "MaxHR"], "AHD")
        assert heart.dropped == 4 and len(heart) == 299
        assert not np.isnan(heart.X).any()

    def test_numeric_columns_other_than_ca_drop_nothing(self) -> None:
        for column in ("Age", "Sex", "RestBP", "Chol", "Fbs", "RestECG", "MaxHR", "ExAng", "Oldpeak", "Slope"):
            assert load_csv(bundled("heart"), [column], "AHD").dropped == 0

    def test_altered_data_has_50_ones_and_95_zeros(self) -> None:
        altered = load_csv(bundled("altered"), ["MaxHR"], "AHD")
        assert len(altered) == 145 and altered.positives == 50
        assert altered.labels == ("0.0", "1.0")


class TestMapping:
    @pytest.mark.parametrize(("yes", "no"), [("Yes", "No"), ("yes", "NO"), ("1", "0"), ("true", "false"),
                                             ("TRUE", "False"), (" Yes ", " No"), ("1.0", "0.0")])
    def test_two_class_labels_map_to_one_and_zero(self, tmp_path: Path, yes: str, no: str) -> None:
        path = write(tmp_path, f"x,t\n1,{yes}\n2,{no}\n3,{yes}\n")
        assert load_csv(path, ["x"], "t").y.tolist() == [1.0, 0.0, 1.0]

    def test_several_features_keep_their_order(self, tmp_path: Path) -> None:
        path = write(tmp_path, "a,b,c,t\n1,2,3,Yes\n4,5,6,No\n")
        loaded = load_csv(path, ["c", "a"], "t")
        assert loaded.features == ("c", "a")
        assert loaded.X.tolist() == [[3.0, 1.0], [6.0, 4.0]]

    def test_na_and_empty_cells_drop_their_rows(self, tmp_path: Path) -> None:
        path = write(tmp_path, "x,t,other\n1,Yes,NA\nNA,No,1\n,Yes,1\n4,,1\n5,NA,1\n6,No,\n")
        loaded = load_csv(path, ["x"], "t")
        assert loaded.dropped == 4
        assert loaded.raw[:, 0].tolist() == [1.0, 6.0] and loaded.y.tolist() == [1.0, 0.0]

    def test_blank_lines_and_quoted_numbers_are_read(self, tmp_path: Path) -> None:
        path = write(tmp_path, '"x","t"\n\n"1.5","Yes"\n\n 2 ,No\n')
        loaded = load_csv(path, ["x"], "t")
        assert loaded.raw[:, 0].tolist() == [1.5, 2.0]

    def test_a_byte_order_mark_is_ignored(self, tmp_path: Path) -> None:
        path = tmp_path / "bom.csv"
        path.write_bytes("x,t\n1,Yes\n2,No\n".encode("utf-8-sig"))
        assert load_csv(path, ["x"], "t").features == ("x",)


class TestStandardisation:
    def test_mean_and_std_are_recorded_and_applied(self) -> None:
        heart = load_csv(bundled("heart"), ["MaxHR"], "AHD", standardize=True)
        assert heart.scaling is not None
        assert heart.scaling.mean[0] == pytest.approx(heart.raw.mean())
        assert heart.scaling.std[0] == pytest.approx(heart.raw.std())
        assert heart.X.mean() == pytest.approx(0, abs=1e-12) and heart.X.std() == pytest.approx(1)
        np.testing.assert_allclose(heart.X * heart.scaling.std[0] + heart.scaling.mean[0], heart.raw)

    def test_without_standardisation_x_is_the_raw_data(self) -> None:
        heart = load_csv(bundled("heart"), ["MaxHR"], "AHD")
        assert heart.scaling is None and heart.X is heart.raw

    def test_a_constant_column_cannot_be_standardised(self, tmp_path: Path) -> None:
        path = write(tmp_path, "x,t\n3,Yes\n3,No\n")
        with pytest.raises(DataError, match="column 'x' has the same value in every row"):
            load_csv(path, ["x"], "t", standardize=True)


class TestRefusals:
    def test_a_missing_column_is_named_with_a_suggestion(self) -> None:
        with pytest.raises(DataError, match=r"Heart.csv has no column 'maxhr'; did you mean 'MaxHR'\?"):
            load_csv(bundled("heart"), ["maxhr"], "AHD")

    def test_a_missing_column_lists_the_columns(self) -> None:
        with pytest.raises(DataError, match="no column 'Weight'; the columns are Age, Sex, ChestPain"):
            load_csv(bundled("heart"), ["MaxHR"], "Weight")

    def test_a_non_numeric_feature_names_column_and_row(self) -> None:
        with pytest.raises(DataError, match=r"Heart.csv: column 'Thal', row 1: 'fixed' is not a number"):
            load_csv(bundled("heart"), ["Thal"], "AHD")

    def test_a_non_numeric_cell_further_down_names_its_row(self, tmp_path: Path) -> None:
        path = write(tmp_path, "x,t\n1,Yes\n2,No\nthree,No\n")
        with pytest.raises(DataError, match=r"column 'x', row 3: 'three' is not a number"):
            load_csv(path, ["x"], "t")

    def test_an_infinite_value_is_refused(self, tmp_path: Path) -> None:
        path = write(tmp_path, "x,t\n1,Yes\ninf,No\n")
        with pytest.raises(DataError, match=r"column 'x', row 2: 'inf' is not a finite number"):
            load_csv(path, ["x"], "t")

    def test_a_target_with_a_third_value_names_column_row_and_value(self) -> None:
        with pytest.raises(DataError, match=r"target column 'ChestPain', row 1: 'typical' is not one of two classes"):
            load_csv(bundled("heart"), ["MaxHR"], "ChestPain")

    def test_a_numeric_target_other_than_zero_and_one_is_refused(self) -> None:
        with pytest.raises(DataError, match=r"target column 'Age', row 1: '63' is not one of two classes"):
            load_csv(bundled("heart"), ["MaxHR"], "Age")

    def test_a_target_with_one_class_only(self, tmp_path: Path) -> None:
        path = tmp_path / "one.csv"
        path.write_text("x,y\n1,Yes\n2,yes\n3,Yes\n", encoding="utf-8")
        with pytest.raises(DataError, match=r"one.csv: target column 'y' has one class only \(every row is 1\)"):
            load_csv(path, ["x"], "y")

    def test_an_empty_file(self, tmp_path: Path) -> None:
        with pytest.raises(DataError, match=r"^empty.csv is empty$"):
            load_csv(write(tmp_path, "", "empty.csv"), ["x"], "t")

    def test_a_file_of_blank_lines_is_empty(self, tmp_path: Path) -> None:
        with pytest.raises(DataError, match="is empty"):
            load_csv(write(tmp_path, "\n\n\n"), ["x"], "t")

    def test_a_header_without_rows(self, tmp_path: Path) -> None:
        with pytest.raises(DataError, match=r"^data.csv has a header but no data rows$"):
            load_csv(write(tmp_path, "x,t\n"), ["x"], "t")

    def test_no_rows_left_after_dropping_missing_values(self, tmp_path: Path) -> None:
        with pytest.raises(DataError, match="no rows left after dropping 2 with missing values"):
            load_csv(write(tmp_path, "x,t\nNA,Yes\n1,\n"), ["x"], "t")

    def test_a_row_with_the_wrong_number_of_fields(self, tmp_path: Path) -> None:
        with pytest.raises(DataError, match=r"row 2 \(line 4\) has 1 fields, the header has 2"):
            load_csv(write(tmp_path, "x,t\n1,Yes\n\n2\n"), ["x"], "t")

    def test_the_same_column_twice(self) -> None:
        with pytest.raises(DataError, match="column 'AHD' is chosen twice"):
            load_csv(bundled("heart"), ["AHD"], "AHD")

    def test_no_feature(self) -> None:
        with pytest.raises(DataError, match="at least one feature"):
            load_csv(bundled("heart"), [], "AHD")

    def test_a_duplicated_header_name(self, tmp_path: Path) -> None:
        with pytest.raises(DataError, match="column 'x' appears 2 times in the header"):
            load_csv(write(tmp_path, "x,x,t\n1,2,Yes\n"), ["x"], "t")

    def test_a_missing_file(self, tmp_path: Path) -> None:
        with pytest.raises(DataError, match="no such file: .*nowhere.csv"):
            load_csv(tmp_path / "nowhere.csv", ["x"], "t")

    def test_a_directory(self, tmp_path: Path) -> None:
        with pytest.raises(DataError, match="is a directory"):
            load_csv(tmp_path, ["x"], "t")

    def test_a_file_that_is_not_utf8(self, tmp_path: Path) -> None:
        path = tmp_path / "latin.csv"
        path.write_bytes("x,t\n1,Ja\xe9\n".encode("latin-1"))
        with pytest.raises(DataError, match="is not UTF-8 text"):
            load_csv(path, ["x"], "t")

    def test_every_refusal_is_a_value_error(self) -> None:
        assert issubclass(DataError, ValueError)


class TestLargeFiles:
    def test_chunks_keep_row_numbers_and_report_progress(self, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(data_module, "CHUNK_ROWS", 4)
        lines = [f"{row},{'Yes' if row % 3 else 'No'}" for row in range(1, 11)]
        path = write(tmp_path, "x,t\n" + "\n".join(lines) + "\n")
        seen: list[LoadProgress] = []
        loaded = load_csv(path, ["x"], "t", progress=seen.append)
        assert loaded.raw[:, 0].tolist() == [float(row) for row in range(1, 11)]
        assert [update.rows for update in seen] == [4, 8, 10, 10]
        assert seen[-1].fraction == 1.0
        bad = write(tmp_path, "x,t\n" + "\n".join(lines[:9] + ["ten,No"]) + "\n", "bad.csv")
        with pytest.raises(DataError, match="row 10: 'ten'"):
            load_csv(bad, ["x"], "t")

    @pytest.mark.slow
    def test_a_million_rows_load_exactly(self, tmp_path: Path) -> None:
        """Every row, label and value of a million-row file; the time it takes is a benchmark figure
        (tests/benchmarks/bench.py, csv_load_*_rows), not a wall-clock assertion here."""
        rng = np.random.default_rng(0)
        heart_rates = np.round(rng.normal(150, 20, 1_000_000), 1)
        labels = np.where(rng.random(1_000_000) < 0.4, "Yes", "No")
        path = tmp_path / "big.csv"
        with path.open("w", encoding="utf-8") as handle:
            handle.write('"",Age,MaxHR,AHD\n')
            handle.writelines(f'"{row}",50,{rate},{label}\n'
                              for row, (rate, label) in enumerate(zip(heart_rates.tolist(), labels.tolist(),
                                                                      strict=True)))
        loaded = load_csv(path, ["MaxHR"], "AHD", standardize=True)
        assert len(loaded) == 1_000_000
        assert loaded.positives == int((labels == "Yes").sum())
        np.testing.assert_array_equal(loaded.raw[:, 0], heart_rates)


class TestHostileFiles:
    """What is not a sensible CSV is refused early, by a message that quotes only a short prefix."""

    def test_a_line_without_end_is_refused_at_the_line_limit(self, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(csv_file, "MAX_LINE_CHARS", 1000)
        monkeypatch.setattr(csv_file, "READ_CHARS", 256)
        path = write(tmp_path, "x,t\n1,Yes\n" + "9" * 5000)
        with pytest.raises(DataError, match=r"^data.csv: line 3 is longer than 1,000 characters \(the limit\)"):
            load_csv(path, ["x"], "t")

    def test_a_long_header_line_is_refused(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(csv_file, "MAX_LINE_CHARS", 1000)
        path = write(tmp_path, ",".join(f"column{index}" for index in range(500)) + "\n")
        with pytest.raises(DataError, match="line 1 is longer than 1,000 characters"):
            load_csv(path, ["x"], "t")

    def test_a_file_past_the_size_limit_is_refused_before_reading(self, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(csv_file, "MAX_FILE_BYTES", 100)
        path = write(tmp_path, "x,t\n" + "1,Yes\n2,No\n" * 20)
        with pytest.raises(DataError, match=r"^data.csv is too large \(224 bytes\): the limit is 100 bytes$"):
            load_csv(path, ["x"], "t")

    def test_a_file_of_unknown_size_is_cut_at_the_limit_while_read(self, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(csv_file, "MAX_FILE_BYTES", 100)
        monkeypatch.setattr(csv_file, "READ_CHARS", 32)
        path = write(tmp_path, "x,t\n" + "1,Yes\n2,No\n" * 20)

        class Packaged:
            """A Traversable-like source (a file inside a package): no path, so no size before reading."""

            name = "packaged.csv"

            def open(self, mode: str, **options: object):
                return path.open(mode, **options)  # type: ignore[call-overload]

        with pytest.raises(DataError, match=r"^packaged.csv is too large: the limit is 100 bytes$"):
            load_csv(Packaged(), ["x"], "t")  # type: ignore[arg-type]

    def test_more_rows_than_the_limit_are_refused(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(data_module, "MAX_ROWS", 10)
        monkeypatch.setattr(data_module, "CHUNK_ROWS", 4)
        path = write(tmp_path, "x,t\n" + "1,Yes\n2,No\n" * 6)
        with pytest.raises(DataError, match=r"too large: more than 10 data rows \(the limit\)"):
            load_csv(path, ["x"], "t")
        assert len(load_csv(write(tmp_path, "x,t\n" + "1,Yes\n2,No\n" * 5, "ten.csv"), ["x"], "t")) == 10

    def test_a_bad_row_names_its_own_line_not_the_chunks_last(self, tmp_path: Path) -> None:
        path = write(tmp_path, "x,t\n1,Yes\n\n2,No,3\n" + "4,No\n" * 50)
        with pytest.raises(DataError, match=r"row 2 \(line 4\) has 3 fields, the header has 2"):
            load_csv(path, ["x"], "t")

    @pytest.mark.parametrize(("yes", "no"), [("1.00", "0.00"), ("+1", "-0"), ("1e0", "0e0"), ("1.", ".0")])
    def test_any_spelling_of_one_and_zero_is_a_class(self, tmp_path: Path, yes: str, no: str) -> None:
        loaded = load_csv(write(tmp_path, f"x,t\n1,{yes}\n2,{no}\n3,{yes}\n"), ["x"], "t")
        assert loaded.y.tolist() == [1.0, 0.0, 1.0]
        assert loaded.labels == (no, yes)

    @pytest.mark.parametrize("cell", ["2", "0.5", "-1", "inf"])
    def test_other_numbers_are_still_not_classes(self, tmp_path: Path, cell: str) -> None:
        with pytest.raises(DataError, match=rf"row 2: '{cell}' is not one of two classes"):
            load_csv(write(tmp_path, f"x,t\n1,1.00\n2,{cell}\n"), ["x"], "t")

    def test_a_missing_column_lists_a_short_prefix_of_the_header(self, tmp_path: Path) -> None:
        header = ",".join("a_rather_long_column_name_" * 4 + str(index) for index in range(300))
        with pytest.raises(DataError) as refused:
            load_csv(write(tmp_path, header + "\n1\n"), ["x"], "t")
        message = str(refused.value)
        assert len(message) < 800 and message.endswith("… (300 columns)")
        assert "the columns are a_rather_long_column_name_a_rather_long_…, " in message

    def test_a_long_cell_is_quoted_by_its_prefix(self, tmp_path: Path) -> None:
        with pytest.raises(DataError) as refused:
            load_csv(write(tmp_path, "x,t\n" + "z" * 100_000 + ",Yes\n"), ["x"], "t")
        assert str(refused.value) == f"data.csv: column 'x', row 1: {'z' * 40!r}… (100,000 characters) is not a number"
        with pytest.raises(DataError) as refused:
            load_csv(write(tmp_path, "x,t\n1," + "y" * 100_000 + "\n"), ["x"], "t")
        assert len(str(refused.value)) < 200

    def test_long_cells_are_converted_in_smaller_chunks(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(data_module, "CHUNK_CHARS", 10_000)
        monkeypatch.setattr(csv_file, "READ_CHARS", 4096)
        cell = "1" + "0" * 99
        path = write(tmp_path, "x,t\n" + f"{cell},Yes\n{cell},No\n" * 1500)
        seen: list[LoadProgress] = []
        loaded = load_csv(path, ["x"], "t", progress=seen.append)
        assert [update.rows for update in seen] == [1024, 2048, 3000, 3000]
        assert len(loaded) == 3000 and loaded.raw[0, 0] == 1e99
