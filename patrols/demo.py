"""The demo hall's patrol standard (about 20 items in the four categories) and its patrols as chores."""

from hall.models import Hall, Role
from hall.people import people_who_can
from patrols.models import Category, PatrolTemplate
from patrols.services import template_create
from staff import services as staff_services

TEMPLATE = "营业厅日常巡场"
ITEMS = [
    (Category.ENVIRONMENT, "大厅地面、台面整洁", "地面无纸屑水渍，台面无杂物", 5),
    (Category.ENVIRONMENT, "照明、空调运行正常", "灯具全亮，室温 22–26 ℃", 5),
    (Category.ENVIRONMENT, "标识标牌齐全清晰", "业务指引、窗口号牌完好无遮挡", 5),
    (Category.ENVIRONMENT, "便民设施完好可用", "老花镜、笔、饮水机、雨伞齐备", 5),
    (Category.ENVIRONMENT, "宣传资料摆放整齐", "资料架无过期资料，摆放整齐", 5),
    (Category.ORDER, "叫号系统与显示屏正常", "取号机、显示屏、语音叫号均工作", 5),
    (Category.ORDER, "排队秩序良好", "无插队、无拥堵，等候区座位充足", 5),
    (Category.ORDER, "引导员在岗引导", "大堂引导员主动询问分流", 5),
    (Category.ORDER, "开放窗口数与客流匹配", "等候超过 10 人时增开窗口", 5),
    (Category.ORDER, "特殊客户优先通道", "老弱病残孕优先办理，有标识", 5),
    (Category.STAFF, "着装统一、佩戴工牌", "按规定着工装，工牌佩戴在左胸", 5),
    (Category.STAFF, "按时到岗、不串岗", "营业时间内不离岗、不闲聊", 5),
    (Category.STAFF, "使用规范服务用语", "首问用语、结束用语规范", 5),
    (Category.STAFF, "台面无私人物品", "手机、水杯等放在规定位置", 5),
    (Category.STAFF, "业务办理规范", "一次告知，资料齐全，无差错", 5),
    (Category.SUPERVISOR, "值班经理在大堂巡视", "高峰时段在大堂现场", 5),
    (Category.SUPERVISOR, "客户意见及时处理", "意见簿、投诉当日登记处理", 5),
    (Category.SUPERVISOR, "交接班记录完整", "交接事项逐项记录并确认", 5),
    (Category.SUPERVISOR, "应急设备检查", "灭火器、应急灯在有效期内", 5),
    (Category.SUPERVISOR, "上次整改项已落实", "上次巡场发现的问题已整改", 5),
]
PATROL_TIMES = ["10:00", "15:00"]


def seed(hall: Hall) -> None:
    """The standard and the chores "巡场 10:00" / "巡场 15:00" on working days (A the duty manager, B the hall manager);
    what exists already is left alone."""
    if not PatrolTemplate.objects.filter(hall=hall, name=TEMPLATE).exists():
        template_create(
            hall=hall,
            name=TEMPLATE,
            items=[{"category": c, "text": t, "standard": s, "points": p} for c, t, s, p in ITEMS],
        )
    duty = people_who_can(hall, [Role.DUTY_MANAGER]).first()
    manager = people_who_can(hall, [Role.HALL_MANAGER]).first()
    if duty is None or manager is None:
        return
    for at in PATROL_TIMES:
        name = f"巡场 {at}"
        if not hall.chores.filter(name=name).exists():
            staff_services.chore_create(
                hall=hall, name=name, a=duty, b=manager, schedule=f"workdays {at}", checklist="按巡场模板逐项检查"
            )
