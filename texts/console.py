"""Everything the knowledge console says to the 普法 team, in one place (the templates and
messages read these names)."""

from __future__ import annotations

TITLE = "知识库工作台"
NAV_ENTRIES, NAV_NEW, NAV_IMPORT, NAV_TRY, NAV_ASKED, NAV_USERS, NAV_TRAINING = (
    "条目",
    "新建条目",
    "导入导出",
    "试一试",
    "居民问了什么",
    "账号",
    "模型训练",
)
LOGOUT, LOGIN, USERNAME, PASSWORD = "退出", "登录", "用户名", "密码"
LOGIN_FAILED = "用户名或密码不对。"
LOGIN_LIMITED = "尝试次数太多，请{minutes}分钟后再试。"
LOGIN_REQUIRED = "请先登录。"
FORBIDDEN = "您的账号没有这个权限。"
CSRF_FAILED = "页面已过期或来源不明，请刷新后再提交。"
ROLES = {"editor": "编辑（写草稿）", "reviewer": "审核（发布/退回）", "admin": "管理员（管理账号）"}
STATUSES = {
    "draft": "草稿",
    "in_review": "待审核",
    "published": "已发布",
    "rejected": "已退回",
    "retired": "已下线",
}
ACTIONS = {
    "answer": "直接回答",
    "clarify": "追问选择",
    "article": "查法条",
    "handoff": "转人工",
    "emergency": "紧急求助",
    "smalltalk": "寒暄",
    "out_of_scope": "非法律问题",
}

# --- entries ----------------------------------------------------------------------------
SEARCH, FILTER, ALL = "搜索", "筛选", "全部"
TOPIC, STATUS, EDITED_SINCE, NON_NATIONAL, UNHELPFUL_FEEDBACK = (
    "主题",
    "状态",
    "最近编辑（天内）",
    "引用了国家法律库以外的依据",
    "有“没帮助”反馈",
)
SLUG, TITLE_FIELD, EXAMPLES, ANSWER, CITATIONS = (
    "编号（英文，如 inherit-new-rule）",
    "标题",
    "居民问法",
    "回答",
    "法律依据",
)
EXAMPLES_HELP = "每行一个问法，至少8个：口语、粤语、繁体、错别字都要有。"
ANSWER_HELP = "先一句话结论，再分2–5步说怎么办；不要写法律名称，法律依据由下面的引用生成。"
LAW, ARTICLE, QUOTE = "法律或文件全称", "条号", "原文摘录（可不填）"
ADD_CITATION = "再加一条引用"
COMMENT = "说明（改了什么、为什么）"
SAVE_DRAFT, SUBMIT, APPROVE, REJECT, RETIRE, ROLLBACK = (
    "保存草稿",
    "提交审核",
    "审核通过并发布",
    "退回",
    "下线",
    "以此版本新建草稿（回滚）",
)
SAVED, SUBMITTED, APPROVED, REJECTED, RETIRED, ROLLED_BACK = (
    "草稿已保存。",
    "已提交审核。",
    "已发布：居民下一条消息就会收到新内容。",
    "已退回给作者。",
    "已下线：居民不会再收到这个条目。",
    "已用旧版本新建草稿，需要重新审核。",
)
RETRAIN_STARTED = "新条目或问法有变化：已开始重新训练模型，完成后所有服务进程自动换用新模型。"
PROBLEMS = "还不能提交："
HISTORY, REVISION, AUTHOR, WHEN, CHANGES, NO_CHANGES = (
    "修改记录",
    "版本",
    "作者",
    "时间",
    "与上一版相比",
    "内容没有变化",
)
LIVE_VERSION = "居民现在收到的版本"
NOT_LIVE = "尚未发布"
DUPLICATES = "这些问法和其他条目的问法很像："
CITATION_OK = "条文："
CITATION_FAULTS = {
    "repealed": "《{law}》已于2021年1月1日废止，由民法典取代，请引用民法典。",
    "source_not_in_force": "《{law}》已经失效（已废止或被取代），不能引用；请看法规库里写明的替代文件。",
    "not_registered": "法规库里还没有《{law}》{label}的原文：请先把这一条的原文登记到 knowledge/sources/。",
    "no_article": "请填写条号。",
    "not_in_force": "{law}{label}不是法律库中现行有效的条文（法律名称要写全称）。",
    "quote_differs": "原文摘录和法条原文不一致：",
}
DID_YOU_MEAN = "是不是：{law}"
EMPTY_LIST = "没有符合条件的条目。"

# --- review -----------------------------------------------------------------------------
OWN_CHANGE = "这是您自己写的修改，需要另一位审核人审核。"
REJECT_NEEDS_COMMENT = "退回时请写明原因。"

# --- import / export --------------------------------------------------------------------
EXPORT_YAML, EXPORT_XLSX, IMPORT = "导出 YAML", "导出 Excel", "导入（YAML 或 Excel .xlsx）"
IMPORT_HELP = (
    "Excel 第一行是表头 slug | topic | title | answer | examples | citations，之后每行一个条目："
    "问法每行一个；引用每行一条，写成“法律全称|条号|原文”（原文可不填），地方规定写成“文件全称|local|文号”。"
    "导入的内容都成为草稿，要审核后才发布。"
)
IMPORTED = "已导入 {count} 个草稿。"
IMPORT_ERRORS = "下面的行有问题，整个文件都没有导入："
ROW = "第{row}行"

# --- try it ------------------------------------------------------------------------------
TRY_HELP = "像居民一样提问，看看助手怎么回答：哪个条目回答的、把握多大、给了哪些选项。"
ASK, YOU, ASSISTANT, ENTRY, CONFIDENCE, CHOICES = "发送", "我", "助手", "回答的条目", "把握", "给出的选项"
ASSISTANT_DOWN = "助手现在没有运行（legalbot run 启动后再试）。"

# --- what residents asked -----------------------------------------------------------------
ASKED_HELP = (
    "没答上来（追问但没有选项）、转了人工、或者被点了“没帮助”的问题，按主题和相近说法分组。"
    "身份证、手机、银行卡号已隐去。"
)
KIND_FALLBACK, KIND_HANDOFF, KIND_UNHELPFUL = "没答上来", "转人工", "没帮助"
PER_WEEK = "每周数量"
START_DRAFT = "用这组问题新建草稿"
DRAFT_FROM_GROUP_TITLE = "（待写）{topic}的新问题"
MESSAGES = "条"

# --- training ------------------------------------------------------------------------------
TRAINING_RUNNING = "正在训练新模型（已 {elapsed} 秒，上次用了约 {expected} 秒）……"
TRAINING_OK = "训练完成：{when} 起服务进程换用新模型。"
TRAINING_FAILED = "训练失败，居民仍在使用旧模型。原因："
TRAINING_NONE = "还没有从工作台训练过模型。"
SERVED_MODEL = "正在服务的模型"

# --- accounts -------------------------------------------------------------------------------
ADD_USER, ROLE, ACTIVE, DEACTIVATE, ACTIVATE = "添加账号", "角色", "启用", "停用", "启用"
USER_ADDED, USER_CHANGED = "账号已添加。", "账号已更新。"
USER_EXISTS = "这个用户名已经有了。"
PASSWORD_TOO_SHORT = "密码至少10个字符。"
EDIT = "编辑"
SLUG_TAKEN = "这个编号已经被使用了。"
