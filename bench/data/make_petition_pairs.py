"""Writes petition_pairs.tsv: labelled pairs of petition texts for bench_repeats.py (label 1 = the same matter
told twice, label 0 = a different matter, most of them of the same topic: the hard negatives).

Each matter is a topic's facts (who, which village or company, how much, since when) told by several
hand-written phrasings of that topic; a positive pair tells one matter twice in two phrasings, a hard negative
tells two matters of the same topic, an easy negative two of different topics. Deterministic (seed 20171)."""
import random
from pathlib import Path

R = random.Random(20171)
VILLAGES = ["固庄村", "杨家庄村", "东村", "官沟村", "小河村", "平坦村", "旧街村", "西峪村", "荫营村", "河底村",
            "李家庄村", "南庄村", "辛兴村", "前庄村", "义井村", "桃林沟村"]
TOWNS = ["荫营镇", "河底镇", "平坦镇", "西南舁乡", "杨家庄乡", "旧街乡", "李家庄乡"]
NAMES = ["王建国", "李秀英", "张志刚", "刘桂兰", "陈海平", "赵玉梅", "杨俊峰", "郭小燕", "吴长生", "孙红霞",
         "马福贵", "朱文斌", "胡春花", "高永明", "梁二虎", "宋金莲", "韩跃进", "冯卫东"]
COMPANIES = ["鑫达建筑公司", "阳泉华润煤业", "晋阳物业公司", "宏盛劳务公司", "兴旺矿业公司", "瑞丰房地产公司",
             "恒通运输公司", "天宇机械厂", "龙腾建材厂", "富民农业合作社"]
ESTATES = ["锦绣花园小区", "阳光新城小区", "御景苑小区", "滨河小区", "和平里小区", "康乐小区"]
ROADS = ["阳五线", "义白路", "荫营大街", "桃河北路", "207国道"]


def facts():
    return {"n": R.choice(NAMES), "v": R.choice(VILLAGES), "t": R.choice(TOWNS), "c": R.choice(COMPANIES),
            "e": R.choice(ESTATES), "r": R.choice(ROADS), "a": R.choice([3, 5, 8, 12, 18, 26, 36, 47]),
            "m": R.choice([2.6, 3.8, 4.5, 6.2, 7.9, 12.5, 15.3, 21.7]), "y": R.choice([2013, 2014, 2015, 2016]),
            "k": R.choice([12, 18, 23, 35, 46, 60, 85]), "h": R.choice([2, 3, 4, 5, 7, 9]),
            "p": R.choice(["1号楼", "3号楼", "5号楼", "8号楼", "12号楼"])}


TOPICS = {
    "征地补偿": [
        "{t}{v}{n}等{h}户反映，{y}年{r}拓宽工程征收本村耕地{a}亩，每亩补偿标准低于公布标准，差额约{m}万元至今未兑现。",
        "{v}村民{n}来访称：{y}年修{r}时村里{a}亩地被征，补偿款按每亩少算，{h}户共被少发{m}万元，要求补足。",
        "关于{r}征地补偿问题：{n}（{t}{v}）等{h}户的{a}亩承包地于{y}年被征收，少付补偿款{m}万元，多次找乡里未果。",
        "{n}反映{y}年{r}项目占用{v}耕地{a}亩，征地补偿款{m}万元没有足额发放到{h}户村民手中。",
    ],
    "拖欠工资": [
        "{n}等{a}名农民工反映，在{c}承建的{e}项目务工，被拖欠工资{m}万元，包工头失联，{y}年至今未付。",
        "{c}拖欠{n}等{a}人劳务费共计{m}万元，工地在{e}，{y}年干完活一直拿不到钱。",
        "农民工{n}来电：{y}年在{e}工地给{c}干活，{a}个人的工资{m}万元被拖欠，公司推给分包老板。",
        "{n}代表{a}名工友反映{c}在{e}工程中欠薪{m}万元，{y}年底讨薪时被告知没钱。",
    ],
    "宅基地": [
        "{v}{n}反映，邻居在{y}年翻建房屋时占用其宅基地约{k}平方米，村委会调解未果，要求确权。",
        "{n}（{t}{v}）称{y}年邻居盖房越界{k}平方米，压了自家宅基地，请求重新划定界址。",
        "关于{v}宅基地界址争议：{n}家与邻居{y}年起因{k}平方米宅基地发生争执，村里没有处理。",
        "{n}来信，{v}邻居{y}年建房侵占其宅基地{k}平米，双方多次争吵，请求乡政府确认界址。",
    ],
    "采煤沉陷": [
        "{t}{v}{n}等{h}户反映，因{c}井下采煤，房屋出现裂缝、地面沉陷，{y}年鉴定为{a}级危房，搬迁安置未落实。",
        "{v}受{c}采空影响房屋开裂，{n}等{h}户{y}年申请采煤沉陷区治理搬迁，至今没有安置。",
        "采煤沉陷问题：{n}所在的{v}{h}户房屋因{c}采煤开裂下沉，{y}年就上报了，补偿和搬迁都没有着落。",
        "{n}反映{c}在{v}下方开采造成沉陷，{h}户住房裂缝严重，{y}年以来没有治理，要求纳入搬迁。",
    ],
    "物业": [
        "{e}业主{n}等反映，{c}物业服务差，{p}电梯停运{k}天无人维修，却仍收取物业费。",
        "{e}{p}电梯坏了{k}天，物业{c}不修，业主{n}等要求更换物业公司并退还部分物业费。",
        "{n}反映{e}物业{c}管理混乱，{p}电梯连续{k}天停运，老人上下楼困难，投诉多次无果。",
        "关于{e}物业问题：{p}电梯停用{k}天，{c}以维修基金不足为由拒修，业主{n}来访。",
    ],
    "低保": [
        "{v}{n}反映，家中{h}口人、丈夫患病丧失劳动能力，{y}年申请低保被村里以有车为由拒绝，认为评议不公。",
        "{t}{v}村民{n}称，{y}年申请最低生活保障没有通过，家里{h}口人靠她一人打零工，要求重新评议。",
        "关于{n}低保问题：{v}{n}一家{h}口，{y}年低保申请被否决，她认为村委会评议时优亲厚友。",
        "{n}来访，家住{v}，{y}年起多次申请低保未批，全家{h}口人生活困难，质疑村里评议结果。",
    ],
    "环境污染": [
        "{v}{n}等{h}户反映，{c}生产时粉尘、噪声扰民，{y}年以来夜间施工，附近村民无法休息。",
        "{c}在{v}附近排放粉尘，{n}等村民{y}年起多次投诉，工厂仍在夜间生产，影响{h}户生活。",
        "{n}反映{t}{v}边上的{c}污染严重，粉尘和噪声让{h}户村民{y}年来苦不堪言，要求停产整改。",
    ],
    "房屋质量": [
        "{e}{p}业主{n}反映，{c}开发的住房交房后墙体开裂、屋顶漏水，{y}年交房至今未维修，涉及{a}户。",
        "{c}开发的{e}{p}质量差，{a}户业主房子漏水开裂，{n}代表业主要求开发商{y}年承诺的维修兑现。",
        "{n}等{a}户业主来访：{e}{p}{y}年交房，屋顶渗水、墙面裂缝，{c}一直推脱。",
    ],
}


def pairs():
    rows = []
    topics = list(TOPICS)
    for topic in topics:
        for _ in range(14):  # positives: one matter, two phrasings
            f = facts()
            a, b = R.sample(TOPICS[topic], 2)
            rows.append((1, topic, a.format(**f), b.format(**f)))
        for _ in range(12):  # hard negatives: same topic, another matter (other person, place, company, sums)
            f, g = facts(), facts()
            while g["n"] == f["n"] or g["v"] == f["v"] or g["c"] == f["c"] or g["e"] == f["e"]:
                g = facts()
            a, b = R.sample(TOPICS[topic], 2)  # told in two phrasings, like a positive pair
            rows.append((0, topic, a.format(**f), b.format(**g)))
        for _ in range(3):  # easy negatives: another topic
            other = R.choice([t for t in topics if t != topic])
            rows.append((0, topic + "/" + other, R.choice(TOPICS[topic]).format(**facts()),
                         R.choice(TOPICS[other]).format(**facts())))
    return rows


if __name__ == "__main__":
    out = Path(__file__).with_name("petition_pairs.tsv")
    with out.open("w", encoding="utf-8") as fh:
        fh.write("label\ttopic\ta\tb\n")
        for label, topic, a, b in pairs():
            fh.write(f"{label}\t{topic}\t{a}\t{b}\n")
    print(out, sum(1 for _ in out.open()) - 1, "pairs")
