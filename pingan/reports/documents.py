"""The 平安建设 report as a document type of pingan.documents (a report: `model=None`), so the district edits
its Word template on the same 文书模板 page as the case documents. The body is described once from the
registries: a part per indicator group (its prose, its table per township or village, its chart, the module's
notable cases), the headline figures with 同比, and the warnings of the period."""
from __future__ import annotations

from pingan.documents.blocks import Image, Para, Table, Title, When
from pingan.documents.registry import DocumentType, register_document

from .data import report_groups, table_items

KEY = "reports.periodic"


def _group_blocks(name: str, items: list, section) -> list:
    g = f"groups.{name}"
    table = table_items(items, section)
    blocks = [
        Para("{{ " + g + ".heading }}", bold=True, indent=False),
        Para("{{ " + g + ".summary }}"),
        When(f"{g}.rows", [
            Para("{{ " + g + ".table_caption }}", align="center", indent=False),
            Table([("{{ children_label }}", "row.name")] + [(ind.label, f"row.cells[{i}]")
                                                           for i, ind in enumerate(table)], rows=f"{g}.rows"),
        ]),
        Image(f"{g}.chart"),
    ]
    if section is not None and section.rows is not None:
        blocks.append(When(f"{g}.notable_caption", [
            Para("{{ " + g + ".notable_caption }}", bold=True, indent=False),
            When(f"{g}.notable", [Table([(header, f"row.cells[{i}]") for i, (header, _f) in enumerate(section.columns)],
                                        rows=f"{g}.notable")]),
            Para("{{ " + g + ".notable_note }}", indent=False),
        ]))
    return blocks


def body() -> tuple:
    parts = [
        Title("{{ report_title }}"),
        Para("（{{ period_range }}）", align="center", indent=False),
        Para("一、总体情况", bold=True, indent=False),
        Para("{{ overview }}"),
        Para("表　主要指标及同比（本期与{{ previous_period }}）", align="center", indent=False),
        Table([("类别", "row.group"), ("指标", "row.label"), ("本期", "row.value"), ("去年同期", "row.previous"),
               ("同比", "row.change")], rows="headline"),
        Image("overview_chart"),
        Para("二、分项工作情况", bold=True, indent=False),
    ]
    for name, _label, items, section in report_groups():
        parts += _group_blocks(name, items, section)
    parts += [
        Para("三、预警情况", bold=True, indent=False),
        Para("{{ warnings.summary }}"),
        When("warnings.by_rule", [
            Table([("预警规则", "row.rule"), ("红色", "row.red"), ("橙色", "row.orange"), ("黄色", "row.yellow"),
                   ("合计", "row.total")], rows="warnings.by_rule"),
        ]),
        Image("warnings.chart"),
        When("warnings.red", [
            Para("红色预警", bold=True, indent=False),
            Table([("日期", "row.day"), ("地点", "row.place"), ("预警", "row.title"), ("规则", "row.rule"),
                   ("状态", "row.status")], rows="warnings.red"),
        ]),
    ]
    return tuple(parts)


def _sample(user):
    """A trial report for an uploaded template: last month, the uploader's scope, as the uploader sees it."""
    from django.utils import timezone

    from .periods import parse
    from .data import build

    month = timezone.localdate().replace(day=1) - timezone.timedelta(days=1)
    return build(parse("monthly", f"{month:%Y-%m}"), user.scope, user)


register_document(DocumentType(
    key=KEY,
    title="平安建设工作报告",
    model=None,
    body=body(),
    context=lambda report, user, full: report.context(),
    filename=lambda report: f"{report.filename_stem}.docx",
    sample=_sample,
    variables={
        "report_title": "报告标题（如：郊区2017年平安建设工作年度报告）",
        "scope": "辖区名称", "period": "报告期（如：2017年、2017年3月、2017年第一季度）",
        "period_range": "报告期起止日期", "previous_period": "同比的去年同期", "kind": "报告类型（月度、季度、年度）",
        "children_label": "下级辖区的称呼（乡镇（街道）或村（社区））",
        "overview": "总体情况段落",
        "headline": "主要指标表（逐行：row.group 类别、row.label 指标、row.value 本期、row.previous 去年同期、row.change 同比）",
        "overview_chart": "主要工作比率图（图片）",
        "groups": "各项工作，如 groups.hazards：heading 标题、summary 段落、rows 分乡镇表（row.name、row.cells[0]…）、"
                  "chart 图片、notable 重点案件表（row.cells[0]…）、notable_note 说明",
        "warnings": "预警：summary 段落、by_rule 按规则表、red 红色预警表、chart 图片",
    },
))
