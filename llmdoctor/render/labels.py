"""Fixed interface words in English and Simplified Chinese (cause texts live in the knowledge base)."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "verdict": "Verdict", "causes": "Likely causes", "fix": "Fix", "evidence": "Evidence",
        "confidence": "confidence", "checks": "Checks", "target": "Target", "docs": "Docs",
        "retry": "Retrying helps", "no_causes": "No problem found.", "plugins": "Plug-in problems",
        "environment": "Environment", "client": "Client", "version": "Version", "runs_in": "Runs in",
        "notes": "Notes", "request_ids": "Request ids", "key": "key", "none": "none",
        "report_hint": "Save a report for a support ticket: llmdoctor --output report.html (or .json, .md)",
        "title": "llmdoctor report", "generated": "Generated", "status": "Status", "check": "Check",
        "summary": "Summary", "time": "Time", "tells": "What would show it", "candidates": "Candidates",
        "status_pass": "pass", "status_warn": "warn", "status_fail": "fail", "status_skip": "skip",
        "status_error": "error", "colon": ": ", "broke_here": "broke here",
        "saved_to": "Report saved to {path}",
        "checking": "Checking", "diagnosing": "Every check done: diagnosing",
        "more_fixes": "(+{n} more: --verbose)", "timing": "timing", "also": "Also possible",
        "more_hint": "In full: llmdoctor --verbose · a report to share: llmdoctor --output report.html",
        "retry_yes": "yes", "retry_no": "no", "retry_after_wait": "after waiting",
        # `llmdoctor env`
        "env_variables": "Proxy variables", "env_none_set": "(none set)", "env_system": "System proxy",
        "env_manual": "manual", "env_pac": "PAC: {url} (ignored by Python and curl)", "env_bypass": "bypass",
        "env_python_takes": "Python takes (when no *_proxy variable is set)",
        "env_winhttp": "WinHTTP: {value} (used by Windows services, not by Python)",
        "env_wsl_mirrored": ", mirrored networking", "env_wsl_host": "Windows host", "env_unknown": "unknown",
        "env_saved": "saved", "env_no_system": "(no system proxy)", "env_note": "note",
        "env_local": "Local proxies on 127.0.0.1", "env_not_scanned": "(not scanned)",
        "env_nothing_listening": "(nothing listening on the usual proxy ports)", "env_sdks": "SDKs",
        "env_probe_failed": "probe failed",
        "env_no_sdks": "(neither openai nor anthropic is installed in the Python described)",
        "env_missing": "(missing!)",
        "env_yes": "yes", "env_no": "no", "env_fails": "fails: {problem}", "env_via": "via {proxy} ({source})",
        "env_direct_bypass": "direct (NO_PROXY entry {entry})", "env_direct": "direct (no proxy)",
        "env_no_proxy_entries": "NO_PROXY entries", "env_no_problems": "No problems found in the proxy environment.",
        "env_findings": "Findings", "env_fix": "fix", "env_fix_commands": "Fix commands for {shell} (printed, not run)",
        "env_this_window": "this window:", "env_new_windows": "new windows:",
        "env_other_shells": "(other shells: {shells}; see --json)",
    },
    "zh": {
        "verdict": "结论", "causes": "可能的原因", "fix": "解决办法", "evidence": "依据",
        "confidence": "置信度", "checks": "检查项", "target": "目标", "docs": "文档",
        "retry": "重试是否有用", "no_causes": "未发现问题。", "plugins": "插件问题",
        "environment": "环境", "client": "客户端", "version": "版本", "runs_in": "运行于", "notes": "说明",
        "request_ids": "请求 ID", "key": "密钥", "none": "无",
        "report_hint": "导出报告以便提交工单：llmdoctor --output report.html（或 .json、.md）",
        "title": "llmdoctor 诊断报告", "generated": "生成时间", "status": "状态", "check": "检查",
        "summary": "摘要", "time": "耗时", "tells": "怎样确认", "candidates": "可能的原因",
        "status_pass": "通过", "status_warn": "警告", "status_fail": "失败", "status_skip": "跳过",
        "status_error": "出错", "colon": "：", "broke_here": "在此中断",
        "saved_to": "报告已保存到 {path}",
        "checking": "正在检查", "diagnosing": "检查全部完成，正在诊断",
        "more_fixes": "（另有 {n} 条：--verbose）", "timing": "耗时", "also": "其他可能的原因",
        "more_hint": "完整信息：llmdoctor --verbose · 导出报告：llmdoctor --output report.html",
        "retry_yes": "有用", "retry_no": "没用", "retry_after_wait": "等待后有用",
        # `llmdoctor env`
        "env_variables": "代理环境变量", "env_none_set": "（未设置）", "env_system": "系统代理",
        "env_manual": "手动", "env_pac": "PAC：{url}（Python 和 curl 都不读取）", "env_bypass": "例外",
        "env_python_takes": "Python 采用（未设置任何 *_proxy 变量时）",
        "env_winhttp": "WinHTTP：{value}（供 Windows 服务使用，Python 不读取）",
        "env_wsl_mirrored": "，镜像网络模式", "env_wsl_host": "Windows 主机", "env_unknown": "未知",
        "env_saved": "已保存", "env_no_system": "（没有系统代理）", "env_note": "注意",
        "env_local": "127.0.0.1 上的本地代理", "env_not_scanned": "（未扫描）",
        "env_nothing_listening": "（常用代理端口上没有程序在监听）", "env_sdks": "SDK", "env_probe_failed": "探测失败",
        "env_no_sdks": "（所描述的 Python 中没有安装 openai 或 anthropic）", "env_missing": "（缺失！）",
        "env_yes": "有", "env_no": "无", "env_fails": "失败：{problem}", "env_via": "经由 {proxy}（{source}）",
        "env_direct_bypass": "直连（NO_PROXY 条目 {entry}）", "env_direct": "直连（不走代理）",
        "env_no_proxy_entries": "NO_PROXY 条目", "env_no_problems": "代理环境中未发现问题。",
        "env_findings": "发现的问题", "env_fix": "解决", "env_fix_commands": "{shell} 的修复命令（仅打印，不会执行）",
        "env_this_window": "当前窗口：", "env_new_windows": "新窗口：",
        "env_other_shells": "（其他 shell：{shells}；见 --json）",
    },
}

STATUS_MARK = {"pass": "✓", "warn": "!", "fail": "✗", "skip": "-", "error": "E"}


def label(lang: str, key: str) -> str:
    return LABELS.get(lang, LABELS["en"]).get(key, LABELS["en"].get(key, key))
