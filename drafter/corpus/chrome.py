"""Site chrome: the lines a web page or a document-sharing site wraps around a report.

Office corpora are often copied from such pages, so a file may open with a breadcrumb
(``首页 > 政务公开 > …``), a search box, a "VIP 49.29KB 14 页" strip or a "小编" blurb, and end with
"上一篇/下一篇", a share bar or a login wall. None of it is the report; taken for its title it names
the wrong type (a breadcrumb ``… > 工作总结`` over a 述职), and numbered download notices look like
headings. Two strengths: ``STRONG`` lines are chrome wherever they stand; ``WEAK`` ones only when
short, since their words can occur in a report sentence.
"""

from __future__ import annotations

import re

# Chrome wherever it stands: no report sentence says these.
STRONG = re.compile(
    r"小编|好投稿|范文网|模板网|精选优质文档|倾情为你奉上|公文写作神器|范文宝典|欢迎来到.{0,12}网"
    r"|下载文档前|文档侵犯|不可在线预览|仅部分预览|文档评论\(|您可能关注的文档|相关文档"
    r"|阅读全部图文|您需要先登录|请先登录|全文共\d+字|此文共\d+字|当前显示\d+字"
    r"|（未完|\(未完|请认真阅读下面的提示|仅供站内会员|申请VIP|VIP专免|[0-9]+(\.[0-9]+)?KB"
    r"|@所有人|微信扫一扫|本文标题[:：]|链接地址[:：]|版权声明|侵权投诉|联系客服|微信订阅号"
    r"|https?://|www\.[a-z0-9-]+\.|\.(com|cn|net|org)(/|\s|$)"
    r"|\.(docx?|pdf)$|不代表本站观点|若需要原创文章|下载此文档|金币|预览加载|在线预览|无法下载|资料包下载|已购买过的文档"
    r"|权威发布|相关信息请访问|请访问[^。]{0,12}网|由会员分享|珍藏版\)"
)
# Chrome when the line is short: the words alone could stand in a report sentence.
WEAK = re.compile(
    r"^(首页|返回|目录|打印|收藏|分享|海报|合集下载|正文复制|内容预览[:：]?|热门搜索|相关搜索|相关推荐|选择特殊符号"
    r"|选择搜索类型|请输入搜索|期刊大全|手机登录|立即注册|登录/注册|上一篇|下一篇|标签[:：]|导语[:：]|序论[:：]"
    r"|当前位置|您现在所在的位置|你当前所在的位置|您的位置|位置[:：])"
    r"|字号[:：]|【字体|我要纠错|分享到|浏览次数|浏览[:：]\s*\d|阅读次数|【收藏】|【打印】|\[下载|\[会员注册|立即了解"
    r"|^[•·]\s*(时间|发布|字号|打印|\|)|^[•·|]\s*$|^大\s*中\s*小$|^\d+\+?$|^\d+\s*页$|^×$|^\|+$"
    r"|(发布|更新)(时间|日期)[:：]|信息来源[:：]|投稿人[:：]|作者[:：]|^时间[:：]|^来源[:：]|^发布[:：]|\s时间[:：]\s*\d{4}|^预览$|^资源描述$"
    r"|^篇\s*[（(]?\d+[）)]?$|^第[一二三四五六七八九十]+篇[:：]|\[此文共"
)
_BREADCRUMB = re.compile(r"^\s*>|\S\s*[>›»]\s*\S|^[>›»]")
# A page's time stamp (2024-10-28 09:04:26 德育素材网); a bare date may be the document's own.
_DATE_STAMP = re.compile(r"^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s+\d{1,2}:\d{2}(:\d{2})?(\s+\S{1,12})?$")
WEAK_MAX = 60  # a longer line with a weak word is a sentence that happens to contain it
STRONG_MAX = 300  # a longer line is a report paragraph, whatever it quotes
# Residue inside a paragraph: cut out, the paragraph kept.
INLINE = re.compile(r"…*\s*此处隐藏\d+个?字\s*…*")


def is_chrome(line: str) -> bool:
    """Whether a whole line is site chrome (see the module docstring)."""
    line = line.strip()
    if not line:
        return False
    if STRONG.search(line):
        return len(line) <= STRONG_MAX
    if len(line) > WEAK_MAX:
        return False
    if WEAK.search(line) or _DATE_STAMP.match(line):
        return True
    # A breadcrumb: short segments joined by '>' (首页 > 政务公开 > 年报), never a sentence.
    return bool(_BREADCRUMB.search(line)) and not re.search(r"[。；！？]", line)


_CHROME_PREFIX = re.compile(r"^(精选优质文档-倾情为你奉上|范文资料[:：]|范文[:：])\s*")


def strip_chrome_prefix(line: str) -> str:
    """A site slogan glued to the front of the text (精选优质文档-倾情为你奉上乡村建设调研报告…)."""
    return _CHROME_PREFIX.sub("", line.strip())
