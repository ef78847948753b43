"""Units of measure a report writes after a number, and conversion between those of one kind.

A report may say 35公顷 where the facts say 525亩, 40kg where they say 40千克, 23.6km where they
say 23.6公里. ``factor(unit)`` gives (kind, size in the kind's base unit); two units of one kind
convert (``convert``), and two spellings of one size are the same unit (``same``). Units without
a kind (人, 个, 元 …) are compared as written by match.py.

Kinds and base units: area 平方米 (1 亩 = 10000/15 平方米, 1 公顷 = 15 亩), mass 千克 (斤 = 0.5,
吨 = 1000), length 米, volume 立方米, energy 千瓦时, power 千瓦, time 秒, temperature 摄氏度,
concentration 毫克/升, money 元 (角/毛 = 0.1 元). 分 is left out of money on purpose: after a
number it is far more often a score (95分) than a cent.
"""

from __future__ import annotations

# unit → (kind, size in the kind's base unit)
_FACTORS: dict[str, tuple[str, float]] = {
    # area
    "平方米": ("area", 1.0), "平米": ("area", 1.0), "m²": ("area", 1.0), "m2": ("area", 1.0),
    "平方公里": ("area", 1e6), "平方千米": ("area", 1e6), "km²": ("area", 1e6), "km2": ("area", 1e6),
    "公顷": ("area", 1e4), "hm²": ("area", 1e4), "亩": ("area", 1e4 / 15),
    "平方厘米": ("area", 1e-4), "cm²": ("area", 1e-4),
    # mass
    "千克": ("mass", 1.0), "公斤": ("mass", 1.0), "kg": ("mass", 1.0), "克": ("mass", 1e-3),
    "g": ("mass", 1e-3), "毫克": ("mass", 1e-6), "mg": ("mass", 1e-6), "斤": ("mass", 0.5),
    "市斤": ("mass", 0.5), "两": ("mass", 0.05), "吨": ("mass", 1e3), "公吨": ("mass", 1e3),
    # length
    "米": ("length", 1.0), "m": ("length", 1.0), "公里": ("length", 1e3), "千米": ("length", 1e3),
    "km": ("length", 1e3), "厘米": ("length", 1e-2), "cm": ("length", 1e-2), "公分": ("length", 1e-2),
    "毫米": ("length", 1e-3), "mm": ("length", 1e-3),
    # volume
    "立方米": ("volume", 1.0), "m³": ("volume", 1.0), "m3": ("volume", 1.0), "升": ("volume", 1e-3),
    "L": ("volume", 1e-3), "毫升": ("volume", 1e-6), "ml": ("volume", 1e-6), "mL": ("volume", 1e-6),
    # energy and power
    "千瓦时": ("energy", 1.0), "kWh": ("energy", 1.0), "kW·h": ("energy", 1.0),
    "兆瓦时": ("energy", 1e3), "MWh": ("energy", 1e3),
    "千瓦": ("power", 1.0), "kW": ("power", 1.0), "兆瓦": ("power", 1e3), "MW": ("power", 1e3),
    "吉瓦": ("power", 1e6), "GW": ("power", 1e6), "瓦": ("power", 1e-3), "W": ("power", 1e-3),
    # time (月 and 年 are left alone: a month is not a fixed number of days)
    "秒": ("time", 1.0), "秒钟": ("time", 1.0), "毫秒": ("time", 1e-3), "分钟": ("time", 60.0),
    "小时": ("time", 3600.0), "钟头": ("time", 3600.0), "天": ("time", 86400.0), "周": ("time", 604800.0),
    # temperature, concentration: spellings of one unit
    "摄氏度": ("temperature", 1.0), "℃": ("temperature", 1.0), "°C": ("temperature", 1.0),
    "毫克/升": ("concentration", 1.0), "mg/L": ("concentration", 1.0),
    "微克/立方米": ("air", 1.0), "μg/m³": ("air", 1.0), "毫克/立方米": ("air", 1e3), "mg/m³": ("air", 1e3),
    # money (foreign currencies stay as written: no rate is known)
    "元": ("money", 1.0), "人民币": ("money", 1.0), "块钱": ("money", 1.0), "圆": ("money", 1.0),
    "角": ("money", 0.1), "毛": ("money", 0.1),
}

# Units written with Latin letters or symbols, matched case-sensitively right after a number
# (850m², 40kg, 3.2MW). Anything else glued to a number (5G, 3D, 4A) is part of a name.
LATIN_UNITS = ("kW·h", "μg/m³", "mg/m³", "mg/L", "km²", "km2", "hm²", "cm²", "m²", "m2", "m³", "m3", "kWh", "MWh", "kg",
               "km", "cm", "mm", "mg", "ml", "mL", "kW", "MW", "GW", "°C", "℃", "m", "g", "L", "Mbps", "Gbps", "GB",
               "TB", "MB", "KB", "GHz", "MHz", "kHz", "Hz", "dB", "kV", "V", "W")


def factor(unit: str) -> tuple[str, float] | None:
    """(kind, size in the kind's base unit) of ``unit``, or None for a unit without a kind."""
    return _FACTORS.get(unit)


def same(u1: str, u2: str) -> bool:
    """Two spellings of one unit (kg and 千克, ℃ and 摄氏度, 公里 and km)."""
    if u1 == u2:
        return True
    f1, f2 = _FACTORS.get(u1), _FACTORS.get(u2)
    return f1 is not None and f1 == f2


def convert(value: float, from_unit: str, to_unit: str) -> float | None:
    """``value`` in ``from_unit`` expressed in ``to_unit`` (525亩 → 35公顷), or None when the
    two are not of one kind."""
    f1, f2 = _FACTORS.get(from_unit), _FACTORS.get(to_unit)
    if f1 is None or f2 is None or f1[0] != f2[0]:
        return None
    return value * f1[1] / f2[1]


def base(value: float, unit: str) -> tuple[float, str] | None:
    """The amount in its kind's base unit (35公顷 → 350000 平方米), or None."""
    f = _FACTORS.get(unit)
    if f is None:
        return None
    return value * f[1], _BASE[f[0]]


_BASE = {"area": "平方米", "mass": "千克", "length": "米", "volume": "立方米", "energy": "千瓦时",
         "power": "千瓦", "time": "秒", "temperature": "摄氏度", "concentration": "毫克/升", "air": "微克/立方米",
         "money": "元"}
