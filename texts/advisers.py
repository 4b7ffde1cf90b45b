"""Everything legalbot says to village legal advisers: offers, relayed messages, reminders and
the replies to their commands."""

from __future__ import annotations

# --- offers and the case's messages -------------------------------------------------------
TAKE, PASS = "接手", "转给他人"
OFFER = "新个案 #{case_id}{priority}\n{summary}\n\n请点“接手”或“转给他人”。"
PRIORITY = "【紧急】"
TAKEN_BY_YOU = (
    "您已接手个案 #{case_id}。回复（引用）本个案的任何一条消息即可发给居民；同时处理多个个案时，"
    "先发 /case {case_id} 选定。结束：/close 一句话结果；交回助手：/return"
)
TAKEN_BY_OTHER = "个案 #{case_id} 已由其他顾问接手，谢谢。"
CASE_MISSING, CASE_HANDLED = "不存在", "已处理"  # why an offer no longer stands
OFFER_CLOSED = "个案 #{case_id} 已不再等待接手（{status}）。"
PASSED = "好的，个案 #{case_id} 已转给其他顾问。"
OFFER_EXPIRED = "个案 #{case_id} 超时未接手，已转给其他顾问。"
FROM_RESIDENT = "个案 #{case_id} 居民：{text}"
FROM_RESIDENT_MEDIA = "个案 #{case_id} 居民发来的文件（见下条）{text}"
A_FILE = "（发来的文件见下条）"
REMIND_ADVISER = "提醒：个案 #{case_id} 的居民在等您回复。再过一段时间没有回复，个案会转给其他顾问。"
CASE_TAKEN_AWAY = "个案 #{case_id} 已转给其他顾问（您已停用，或提醒后仍未回复）。"
RESIDENT_LEFT = "个案 #{case_id} 的居民已取消转接。"
CASE_ENDED_INACTIVE = "个案 #{case_id} 居民长时间没有回复，已自动结束。"
CLOSED_OK = "个案 #{case_id} 已结束，已告知居民。"
RETURNED_OK = "个案 #{case_id} 已交回助手，已告知居民。"
SELECTED = "已选定个案 #{case_id}，您现在发的消息会发给这位居民。"
WHICH_CASE = "您正在处理多个个案。请回复（引用）该个案的消息，或先发送 /case 编号 选定："
NO_CASE = "您目前没有正在处理的个案。"
NOT_YOURS = "个案 #{case_id} 不在您名下，无法操作。"
CLOSE_NEEDS_OUTCOME = "请在 /close 后面写一句处理结果，例如：/close 已解答，建议先找村委调解"
MY_CASES = "您名下的个案："
EDIT_NOT_RELAYED = "修改过的消息不会再发给居民。如需更正，请重新发一条。"
NO_RESIDENT_CHANNEL = "这位居民不是通过 Telegram 咨询的，消息无法转给他，请按登记的方式联系。"
ADVISERS_ONLY = "这个操作只供登记在册、在岗的村居法律顾问使用。"
ADVISER_HELP = (
    "您是登记的村居法律顾问。新个案会自动推送给您。\n"
    "/cases 查看名下个案\n/case 编号 选定要回复的个案\n"
    "/close 结果 结束个案\n/return 交回助手\n回复（引用）个案消息即可与居民对话。"
)

# --- the case summary in an offer --------------------------------------------------------
REASONS = {
    "request": "居民要求找顾问",
    "offer_accepted": "助手答不了，居民同意找顾问",
    "emergency": "紧急情况",
    "failed_turns": "助手两次没听懂",
}
SUMMARY_TOPIC = "话题：{topic}"
SUMMARY_PLACE = "地点：{place}"
SUMMARY_PLACE_UNKNOWN = "{district}（村居不详）"
SUMMARY_DISTRICT_UNKNOWN = "区不详"
SUMMARY_REASON = "原因：{reason}"
SUMMARY_SAID = "居民说：{said}"
SUMMARY_SAID_NOTHING = "（没有文字）"
SUMMARY_ANSWERED = "助手已答：{answer}"
SUMMARY_NOT_ANSWERED = "（没有给出答案）"
SUMMARY_BEFORE = "此前接手的顾问：{names}（已交回，可向其了解情况）"
SUMMARY_ARTICLES = "可能相关的条文（检索结果，仅供参考）：\n{articles}"
