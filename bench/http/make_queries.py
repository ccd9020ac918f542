#!/usr/bin/env python3
"""Writes the wrk query files for bench/http/run.sh from a `padan gen` directory.

nik.txt       NIKs of registry persons (exact hits), one per line
match.ndjson  POST /v1/match bodies from the generator's *corrupted* duplicate records (typos,
              old spellings, swapped dates, a wrong NIK digit...), one JSON object per line
search.txt    URL-encoded `q` values: names of those duplicates, half with their kab/kota name
Fixed seed: the same data gives the same files.
"""
import csv, json, random, re, sys, urllib.parse

gen_dir, out_dir, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
rng = random.Random(7)

kinds = {}
with open(f"{gen_dir}/truth.csv", newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        kinds[row["id_art"]] = row["kind"]

def iso_date(text):
    m = re.fullmatch(r"(\d{2})-(\d{2})-(\d{4})", text)
    if m: return f"{m[3]}-{m[2]}-{m[1]}"
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if m: return text
    m = re.fullmatch(r"(\d{4})", text)
    return text if m else ""

niks, matches, searches = [], [], []
with open(f"{gen_dir}/dtks.csv", newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        kind = kinds.get(row["ID DTKS"], "original")
        nik = row["Nomor NIK"]
        if kind == "original":
            if re.fullmatch(r"\d{16}", nik) and rng.random() < 0.2: niks.append(nik)
            continue
        body = {"nama": row["Nama"]}
        date = iso_date(row["Tanggal Lahir"])
        if date: body["tanggal_lahir"] = date
        sex = {"Laki-laki": "L", "Perempuan": "P"}.get(row["Jenis Kelamin"])
        if sex: body["jenis_kelamin"] = sex
        if re.fullmatch(r"\d{16}", nik): body["nik"] = nik
        if row["Tempat Lahir"]: body["tempat_lahir"] = row["Tempat Lahir"]
        if row["Nama Ibu Kandung"]: body["nama_ibu_kandung"] = row["Nama Ibu Kandung"]
        body["limit"] = 10
        matches.append(json.dumps(body, ensure_ascii=False))
        q = row["Nama"] + (" " + row["Kabupaten/Kota"].replace("Kabupaten ", "").replace("Kota ", "")
                           if rng.random() < 0.5 else "")
        searches.append(urllib.parse.quote(q))

for name, items in (("nik.txt", niks), ("match.ndjson", matches), ("search.txt", searches)):
    rng.shuffle(items)
    with open(f"{out_dir}/{name}", "w", encoding="utf-8") as out:
        out.write("\n".join(items[:count]) + "\n")
    print(f"{name}: {min(len(items), count)} queries", file=sys.stderr)
