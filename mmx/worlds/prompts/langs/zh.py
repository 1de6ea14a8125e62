"""Chinese (Simplified): numeral + measure word + noun, "……的照片".

"一只猫的照片", "三辆汽车的照片" (两 for two), "一只红色猫的照片",
"一只猫在一只狗左边的照片", "一只红色猫和一只蓝色狗的照片". Each noun carries its
measure word (只 animals, 辆 wheeled vehicles, 张 flat furniture, 把 things held by a
handle, 台 machines, 根 long thin things, 块 boards, ...; 个 where no other is usual).
Embedded Latin words (the en-second variant) get a space on either side.
"""

from __future__ import annotations

from collections.abc import Callable

CODE = "zh"
NAME = "Chinese"
NATIVE = "中文"
VARIANTS = ("en-first", "en-second")
SG_FORMS = ("n",)
PL_FORMS = ()

# English class -> (noun, measure word)
NOUNS: dict[str, tuple[str, str]] = {
    "person": ("人", "个"), "bicycle": ("自行车", "辆"), "car": ("汽车", "辆"), "motorcycle": ("摩托车", "辆"),
    "airplane": ("飞机", "架"), "bus": ("公交车", "辆"), "train": ("火车", "列"), "truck": ("卡车", "辆"),
    "boat": ("船", "艘"), "traffic light": ("红绿灯", "个"), "fire hydrant": ("消防栓", "个"),
    "stop sign": ("停车标志", "个"), "parking meter": ("停车计时器", "个"), "bench": ("长椅", "张"),
    "bird": ("鸟", "只"), "cat": ("猫", "只"), "dog": ("狗", "只"), "horse": ("马", "匹"), "sheep": ("羊", "只"),
    "cow": ("牛", "头"), "elephant": ("大象", "头"), "bear": ("熊", "头"), "zebra": ("斑马", "匹"),
    "giraffe": ("长颈鹿", "只"), "backpack": ("背包", "个"), "umbrella": ("雨伞", "把"),
    "handbag": ("手提包", "个"), "tie": ("领带", "条"), "suitcase": ("行李箱", "个"), "frisbee": ("飞盘", "个"),
    "skis": ("滑雪板", "副"), "snowboard": ("单板滑雪板", "块"), "sports ball": ("球", "个"),
    "kite": ("风筝", "只"), "baseball bat": ("棒球棒", "根"), "baseball glove": ("棒球手套", "只"),
    "skateboard": ("滑板", "块"), "surfboard": ("冲浪板", "块"), "tennis racket": ("网球拍", "把"),
    "bottle": ("瓶子", "个"), "wine glass": ("酒杯", "只"), "cup": ("杯子", "个"), "fork": ("叉子", "把"),
    "knife": ("刀", "把"), "spoon": ("勺子", "把"), "bowl": ("碗", "个"), "banana": ("香蕉", "根"),
    "apple": ("苹果", "个"), "sandwich": ("三明治", "个"), "orange": ("橙子", "个"), "broccoli": ("西兰花", "棵"),
    "carrot": ("胡萝卜", "根"), "hot dog": ("热狗", "个"), "pizza": ("披萨", "个"), "donut": ("甜甜圈", "个"),
    "cake": ("蛋糕", "个"), "chair": ("椅子", "把"), "couch": ("沙发", "张"), "potted plant": ("盆栽", "个"),
    "bed": ("床", "张"), "dining table": ("餐桌", "张"), "toilet": ("马桶", "个"), "tv": ("电视", "台"),
    "laptop": ("笔记本电脑", "台"), "computer mouse": ("鼠标", "个"), "tv remote": ("遥控器", "个"),
    "computer keyboard": ("键盘", "个"), "cell phone": ("手机", "部"), "microwave": ("微波炉", "台"),
    "oven": ("烤箱", "台"), "toaster": ("烤面包机", "台"), "sink": ("水槽", "个"), "refrigerator": ("冰箱", "台"),
    "book": ("书", "本"), "clock": ("时钟", "个"), "vase": ("花瓶", "个"), "scissors": ("剪刀", "把"),
    "teddy bear": ("泰迪熊", "只"), "hair drier": ("吹风机", "个"), "toothbrush": ("牙刷", "把"),
    # shapes world
    "circle": ("圆形", "个"), "square": ("正方形", "个"), "triangle": ("三角形", "个"), "star": ("星形", "个"),
    "hexagon": ("六边形", "个"), "cross": ("十字形", "个"),
}
COLORS = {"red": "红色", "orange": "橙色", "yellow": "黄色", "green": "绿色", "blue": "蓝色", "purple": "紫色",
          "pink": "粉色", "brown": "棕色", "black": "黑色", "white": "白色"}
NUMBERS = {1: "一", 2: "两", 3: "三", 4: "四"}
# "A 在 B 左边": the relation word follows its reference object
RELATIONS = {"left of": "左边", "right of": "右边", "above": "上方", "below": "下方"}


def entry(cls: str) -> dict:
    n, mw = NOUNS[cls]
    return {"n": n, "mw": mw}


def lemma(e: dict) -> str:
    return e["n"]


def counted(e: dict, n: int) -> str:
    return e["n"]


def _np(e: dict, count: int, color: str | None) -> str:
    noun = f" {e['n']} " if e["n"].isascii() else e["n"]
    return f"{NUMBERS[count]}{e['mw']}{COLORS[color] if color else ''}{noun}"


def _tidy(text: str) -> str:
    return " ".join(text.split())


def render(scene, entry: Callable[[str], dict] = entry, script: str = "native") -> str:
    o = scene.objects
    if scene.tag == "position":
        a, b = _np(entry(o[0].cls), 1, None), _np(entry(o[1].cls), 1, None)
        return _tidy(f"{a}在{b}{RELATIONS[scene.relation]}的照片")
    return _tidy("和".join(_np(entry(x.cls), x.count, x.color) for x in o) + "的照片")
