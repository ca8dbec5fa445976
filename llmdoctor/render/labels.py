"""Fixed interface words in English and Simplified Chinese (cause texts live in the knowledge base)."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "verdict": "Verdict", "causes": "Likely causes", "fix": "Fix", "evidence": "Evidence",
        "confidence": "confidence", "checks": "Checks", "target": "Target", "docs": "Docs",
        "retry": "Retrying helps", "no_causes": "No problem found.", "plugins": "Plug-in problems",
        "environment": "Environment", "request_ids": "Request ids", "key": "key", "none": "none",
        "report_hint": "Save a report for a support ticket: llmdoctor --output report.json (or .md)",
        "title": "llmdoctor report", "generated": "Generated", "status": "Status", "check": "Check",
        "summary": "Summary", "time": "Time",
        "retry_yes": "yes", "retry_no": "no", "retry_after_wait": "after waiting",
    },
    "zh": {
        "verdict": "结论", "causes": "可能的原因", "fix": "解决办法", "evidence": "依据",
        "confidence": "置信度", "checks": "检查项", "target": "目标", "docs": "文档",
        "retry": "重试是否有用", "no_causes": "未发现问题。", "plugins": "插件问题",
        "environment": "环境", "request_ids": "请求 ID", "key": "密钥", "none": "无",
        "report_hint": "导出报告以便提交工单：llmdoctor --output report.json（或 .md）",
        "title": "llmdoctor 诊断报告", "generated": "生成时间", "status": "状态", "check": "检查",
        "summary": "摘要", "time": "耗时",
        "retry_yes": "有用", "retry_no": "没用", "retry_after_wait": "等待后有用",
    },
}

STATUS_MARK = {"pass": "✓", "warn": "!", "fail": "✗", "skip": "-", "error": "E"}


def label(lang: str, key: str) -> str:
    return LABELS.get(lang, LABELS["en"]).get(key, LABELS["en"].get(key, key))
