//! The shipped encoding of 《住房和城乡建设部 辽宁省人民政府共建城市更新先导区实施方案》: the 2025
//! targets (liaoning-pilot-2025) and the 18 key tasks (renewal-tasks-liaoning) quote the plan, with
//! its section, deadlines and units. The plan's text is not part of the project, so the quotes are
//! checked here against strings copied from it by hand (every quote of both files was compared
//! with the full text when the files were written).

use std::collections::BTreeSet;

use citycheck::catalog::Direction;
use citycheck::diagnose::{DeadlineKind, ItemKind, TaskCatalog};
use citycheck::{Catalog, Error};

const PLAN: &str = "《住房和城乡建设部 辽宁省人民政府共建城市更新先导区实施方案》";
/// The heading path of the plan's target table.
const GOALS: &str = "一、总体要求 / （三）工作目标。 / 共建城市更新先导区主要预期目标（2025年）";
const CITIES: [&str; 14] = [
    "沈阳市",
    "大连市",
    "鞍山市",
    "抚顺市",
    "本溪市",
    "丹东市",
    "锦州市",
    "营口市",
    "阜新市",
    "辽阳市",
    "盘锦市",
    "铁岭市",
    "朝阳市",
    "葫芦岛市",
];

fn pilot() -> Catalog {
    Catalog::builtin("liaoning-pilot-2025").unwrap()
}

fn tasks() -> TaskCatalog {
    TaskCatalog::builtin("renewal-tasks-liaoning").unwrap()
}

fn non_empty(s: &Option<String>) -> bool {
    s.as_deref().is_some_and(|s| !s.trim().is_empty())
}

// ---------------------------------------------------------------- the 2025 targets

#[test]
fn every_group_and_target_quotes_the_plan_with_its_section() {
    let c = pilot();
    for g in c.groups() {
        assert!(non_empty(&g.quote) && non_empty(&g.section), "group {}: quote and section", g.id);
        assert_eq!(g.section.as_deref(), Some(GOALS), "group {}", g.id);
        assert_eq!(g.source.as_deref(), Some(format!("{PLAN} {GOALS}").as_str()), "group {}", g.id);
    }
    for ind in c.indicators() {
        assert!(non_empty(&ind.quote) && non_empty(&ind.section), "{}: quote and section", ind.id);
        let group = c.group(ind.group.as_deref().expect("every target is scored")).unwrap();
        // The section is the table's row: the table's path and the group's heading.
        let section = ind.section.as_deref().unwrap();
        assert_eq!(section, format!("{GOALS} / {}", group.name_zh), "{}", ind.id);
        assert_eq!(ind.source.as_deref(), Some(format!("{PLAN} {section}").as_str()), "{}", ind.id);
        // The target's sentence is part of its row of the table, verbatim.
        let row = group.quote.as_deref().unwrap();
        assert!(row.contains(ind.quote.as_deref().unwrap()), "{}: quote not in the row '{row}'", ind.id);
    }
}

#[test]
fn groups_are_the_rows_of_the_plans_table() {
    // 共建城市更新先导区主要预期目标（2025年）: the five row headings, as the plan writes them.
    let pilot = pilot();
    let names: Vec<(&str, &str)> = pilot.groups().iter().map(|g| (g.id.as_str(), g.name_zh.as_str())).collect();
    assert_eq!(
        names,
        [
            ("vitality", "城市活力得到新激发"),
            ("environment", "城市环境得到新改善"),
            ("low_carbon", "城市建设推动低碳新转型"),
            ("smart_city", "智慧场景实现新应用"),
            ("heritage", "城市文脉丰富新内涵"),
        ]
    );
    let row = pilot.group("low_carbon").unwrap().quote.as_deref().unwrap();
    assert_eq!(
        row,
        "城镇绿色建筑占新建建筑比重达到100%。推进26个生活垃圾焚烧处理设施建设，实现城区原生生活垃圾“零填埋”。培育20家钢结构等装配式示范产业基地。"
    );
}

#[test]
fn quotes_copied_by_hand_from_the_plan() {
    let c = pilot();
    let quote = |id: &str| c.indicator(id).unwrap_or_else(|| panic!("{id}")).quote.clone().unwrap();
    assert_eq!(quote("green_building_share"), "城镇绿色建筑占新建建筑比重达到100%。");
    assert_eq!(quote("raw_waste_landfill_share"), "实现城区原生生活垃圾“零填埋”。");
    assert_eq!(quote("cim_platform"), "沈阳、大连市和沈抚示范区建成数字孪生城市和CIM基础平台");
    assert_eq!(quote("old_compound_renovation_rate"), "基本完成2000年底前建成的需改造城镇老旧小区综合改造提升");
    assert_eq!(quote("historic_towns"), "支持中国历史文化名镇、名村和中国传统村落申报和认定工作。");
    assert_eq!(quote("industrial_relic_demo_projects"), "组织实施10个遗存保护和周边环境整治示范性项目。");
    assert_eq!(quote("prefab_demo_bases"), "培育20家钢结构等装配式示范产业基地。");
}

#[test]
fn targets_set_for_named_units_only_have_no_standard_elsewhere() {
    let c = pilot();
    // 沈阳、大连市和沈抚示范区建成数字孪生城市和CIM基础平台.
    for id in ["cim_platform", "digital_twin_city"] {
        let s = c.indicator(id).unwrap().standard.as_ref().expect("a standard");
        assert_eq!(s.value, None, "{id}: no catalogue-wide value");
        for unit in ["沈阳市", "大连市", "沈抚示范区"] {
            assert_eq!(s.value_for(unit), Some(1.0), "{id} {unit}");
        }
        assert_eq!(s.value_for("鞍山市"), None, "{id}: 鞍山市 has no standard");
        assert_eq!(s.deadline, Some(2025));
    }
    // 沈阳、鞍山市建立工业遗存数据库.
    let db = c.indicator("industrial_heritage_database").unwrap().standard.as_ref().unwrap();
    assert_eq!((db.value_for("沈阳市"), db.value_for("鞍山市"), db.value_for("大连市")), (Some(1.0), Some(1.0), None));
    // 支持大连、朝阳市申报国家历史文化名城.
    let city = c.indicator("national_historic_city_application").unwrap().standard.as_ref().unwrap();
    assert_eq!(city.by_unit.keys().map(String::as_str).collect::<Vec<_>>(), ["大连市", "朝阳市"]);
    // 各城市建立低值低效空间台账: the 14 cities, not 沈抚示范区.
    let ledger = c.indicator("inefficient_space_ledger").unwrap().standard.as_ref().unwrap();
    for city in CITIES {
        assert_eq!(ledger.value_for(city), Some(1.0), "{city}");
    }
    assert_eq!(ledger.value_for("沈抚示范区"), None);
}

#[test]
fn zero_landfill_is_a_standard_of_zero_for_every_unit() {
    let c = pilot();
    let ind = c.indicator("raw_waste_landfill_share").unwrap();
    assert_eq!(ind.direction, Some(Direction::Lower));
    let s = ind.standard.as_ref().expect("a standard");
    assert_eq!(s.value, Some(0.0));
    for unit in CITIES.iter().copied().chain(["沈抚示范区"]) {
        assert_eq!(s.value_for(unit), Some(0.0), "{unit}");
    }
}

#[test]
fn collective_totals_and_targets_without_a_number_are_not_per_city() {
    let c = pilot();
    // 推进26个…建设, 培育20家, 10个…示范性项目, 共形成55个/65个: totals, no value, no by_unit.
    for (id, total) in [
        ("waste_incineration_projects", "26"),
        ("prefab_demo_bases", "20"),
        ("industrial_relic_demo_projects", "10"),
        ("typical_renewal_cases", "55"),
    ] {
        let ind = c.indicator(id).unwrap_or_else(|| panic!("{id}"));
        let s = ind.standard.as_ref().expect("a standard with the total in its note");
        assert!(s.value.is_none() && s.by_unit.is_empty(), "{id}: not checkable city by city");
        assert!(s.note.as_deref().unwrap().contains(total), "{id}: the note states {total}");
        assert!(!s.note.as_deref().unwrap().contains("value 0"), "{id}: no 'value 0' wording");
    }
    assert_eq!(c.indicator("prefab_demo_bases").unwrap().unit, "家");
    assert_eq!(c.indicator("industrial_relic_demo_projects").unwrap().tasks, [13u32]);
    // The plan gives no number for 挂牌建档 or for 名镇、名村、传统村落: no standard.
    for id in ["heritage_plaque_archive_rate", "historic_towns", "historic_villages", "traditional_villages"] {
        assert!(c.indicator(id).unwrap().standard.is_none(), "{id}: no invented standard");
    }
    // The old-compound target keeps its denominator: the compounds that need renovation.
    assert!(c.indicator("old_compound_renovation_rate").unwrap().name_zh.contains("需改造"));
}

// ---------------------------------------------------------------- the 18 key tasks

#[test]
fn every_task_quotes_the_plan_with_its_section_and_units() {
    for t in tasks().tasks() {
        assert!(non_empty(&t.quote) && non_empty(&t.section), "task {}: quote and section", t.id);
        assert!(t.section.as_deref().unwrap().starts_with("二、重点任务 / "), "task {}", t.id);
        assert!(!t.lead_units.is_empty() && !t.guiding_units.is_empty(), "task {}: lead and guiding units", t.id);
        assert_eq!(t.lead_units[..2], ["各市政府", "省沈抚示范区管委会"], "task {}", t.id);
        assert!(t.guiding_units[0].starts_with("住房和城乡建设部"), "task {}", t.id);
        for item in &t.items {
            assert!(!item.quote.trim().is_empty(), "task {} item {}", t.id, item.id);
        }
    }
}

#[test]
fn task_titles_and_quotes_copied_by_hand_from_the_plan() {
    let tasks = tasks();
    let name = |id: u32| tasks.task(id).unwrap().name_zh.as_str();
    assert_eq!(name(1), "创建完整居住社区");
    assert_eq!(name(5), "打造公园中的城市");
    assert_eq!(name(8), "推进城市信息模型（CIM）平台建设");
    assert_eq!(name(13), "做好工业遗存保护和开发利用");
    assert_eq!(name(17), "推进以县城为重要载体的新型城镇化建设");
    let quote = |id: u32| tasks.task(id).unwrap().quote.clone().unwrap();
    assert!(quote(1).starts_with("合理确定居住社区规模和建设标准，推进完整居住社区建设，推动社区消费扩容提质。"));
    assert!(quote(5).contains("按照“300米见绿、500米见园”的目标"));
    assert!(quote(16).contains("公租房对低保低收入住房困难家庭应保尽保。"));
    assert_eq!(tasks.task(1).unwrap().section.as_deref(), Some("二、重点任务 / (一) 开展城市双修，建设绿色城市。"));
    assert_eq!(tasks.task(12).unwrap().section.as_deref(), Some("二、重点任务 / (四) 传承历史文化，塑造人文城市。"));
}

#[test]
fn deadline_kinds_follow_the_plans_completion_lines() {
    // 完成时限：2025年 (tasks 4, 8, 9, 12, 15, 16); 2025年取得阶段性成果 (the others).
    let done = [4, 8, 9, 12, 15, 16];
    for t in tasks().tasks() {
        assert_eq!(t.deadline, Some(2025), "task {}", t.id);
        let expected = if done.contains(&t.id) { DeadlineKind::Complete } else { DeadlineKind::PhasedResults };
        assert_eq!(t.deadline_kind, Some(expected), "task {}", t.id);
    }
    assert_eq!(DeadlineKind::Complete.as_str(), "完成");
    assert_eq!(DeadlineKind::PhasedResults.as_str(), "取得阶段性成果");
}

#[test]
fn units_of_a_few_tasks_copied_by_hand() {
    let tasks = tasks();
    let t = |id: u32| tasks.task(id).unwrap();
    assert_eq!(t(1).lead_units, ["各市政府", "省沈抚示范区管委会", "省住房和城乡建设厅"]);
    assert_eq!(t(9).lead_units, ["各市政府", "省沈抚示范区管委会", "省营商局", "省住房和城乡建设厅"]);
    assert_eq!(t(18).lead_units, ["各市政府", "省沈抚示范区管委会", "省应急厅", "省住房和城乡建设厅"]);
    assert_eq!(t(3).guiding_units, ["住房和城乡建设部城市建设司", "建筑节能与科技司", "城市管理监督局"]);
    assert_eq!(t(16).guiding_units, ["住房和城乡建设部住房保障司", "房地产市场监管司"]);
    assert_eq!(t(8).responsible_units, ["省自然资源厅"]);
    assert_eq!(t(18).responsible_units, ["省卫生健康委", "省自然资源厅", "省人防办"]);
    assert!(t(15).responsible_units.is_empty(), "task 15 has no 责任部门 line");
}

#[test]
fn task_items_are_checkable_targets() {
    let tasks = tasks();
    let item = |task: u32, id: &str| {
        tasks.task(task).unwrap().items.iter().find(|i| i.id == id).unwrap_or_else(|| panic!("{task}/{id}")).clone()
    };
    let green = item(5, "green_within_300m");
    assert_eq!((green.kind, green.value, green.unit.as_deref()), (ItemKind::Number, Some(300.0), Some("m")));
    let park = item(5, "park_within_500m");
    assert_eq!((park.kind, park.value, park.unit.as_deref()), (ItemKind::Number, Some(500.0), Some("m")));
    assert_eq!(item(6, "black_odorous_water_eliminated").kind, ItemKind::YesNo);
    assert_eq!(item(16, "public_rental_guarantee").quote, "公租房对低保低收入住房困难家庭应保尽保");
    assert_eq!(item(18, "risk_list_system").kind, ItemKind::YesNo);
    let incineration = item(7, "incineration_projects_26");
    assert!(incineration.collective && incineration.units.is_empty(), "a province-wide total");
    assert_eq!(incineration.value, Some(26.0));
    let relics = item(13, "industrial_relic_projects_10");
    assert!(relics.collective);
    assert_eq!(relics.units, ["沈阳市", "鞍山市"]);
    assert_eq!(item(13, "industrial_relic_evaluation_system").quote, "建立工业遗存评估体系");
    assert_eq!(item(8, "digital_twin_and_cim").indicators, ["cim_platform", "digital_twin_city"]);
    let zero = item(7, "zero_landfill");
    assert_eq!(zero.value, Some(0.0));
    assert_eq!(zero.indicators, ["raw_waste_landfill_share"]);
    // Every item's indicators are among its task's.
    for t in tasks.tasks() {
        for i in &t.items {
            assert!(i.indicators.iter().all(|x| t.indicators.contains(x)), "task {} item {}", t.id, i.id);
        }
    }
}

#[test]
fn task_links_both_ways_point_at_shipped_indicators() {
    let tasks = tasks();
    let catalogs: Vec<Catalog> = Catalog::builtin_ids().map(|id| Catalog::builtin(id).unwrap()).collect();
    let mut without = BTreeSet::new();
    for t in tasks.tasks() {
        if t.indicators.is_empty() {
            without.insert(t.id);
        }
        for id in &t.indicators {
            assert!(catalogs.iter().any(|c| c.indicator(id).is_some()), "task {} names unknown indicator {id}", t.id);
        }
    }
    // Every task names at least one indicator except 17 (推进以县城为重要载体的新型城镇化建设): no
    // shipped catalogue measures county towns (县城).
    assert_eq!(without, BTreeSet::from([17]));
    let ids: BTreeSet<u32> = tasks.tasks().iter().map(|t| t.id).collect();
    for c in &catalogs {
        for ind in c.indicators() {
            for n in &ind.tasks {
                assert!(ids.contains(n) && (1..=18).contains(n), "{}: {} names task {n}", c.id(), ind.id);
            }
        }
    }
    // The plan's targets point at the tasks that pursue them.
    let pilot = pilot();
    assert_eq!(pilot.indicator("cim_platform").unwrap().tasks, [8u32]);
    assert_eq!(pilot.indicator("industrial_heritage_database").unwrap().tasks, [13u32]);
    assert_eq!(pilot.indicator("historic_villages").unwrap().tasks, [12u32]);
    // The vitality row's demonstration areas and renewal cases: the vital-city tasks that renew
    // urban areas (14 产业发展, 15 盘活存量资源).
    for id in ["provincial_renewal_demo_area", "typical_renewal_cases"] {
        assert_eq!(pilot.indicator(id).unwrap().tasks, [14u32, 15], "{id}");
        for t in [14, 15] {
            assert!(tasks.task(t).unwrap().indicators.iter().any(|i| i == id), "task {t} lists {id}");
        }
    }
}

#[test]
fn malformed_task_items_and_deadline_kinds_are_refused() {
    let head = "[catalog]\nid = \"t\"\nname = \"t\"\nversion = \"1\"\n[[tasks]]\nid = 1\nname_zh = \"任务\"\n\
                name_en = \"Task\"\narea = \"green\"\nindicators = [\"a\"]\n";
    let item = |body: &str| format!("{head}[[tasks.items]]\nid = \"x\"\ntext = \"x\"\nquote = \"x\"\n{body}\n");
    let ok = item("kind = \"number\"\nvalue = 1.0\nunit = \"个\"\nindicators = [\"a\"]");
    assert!(TaskCatalog::from_toml(&ok, "ok.toml").is_ok());
    let cases = [
        (format!("{head}deadline_kind = \"完成\"\n"), "deadline_kind needs a deadline"),
        (format!("{head}deadline = 2025\ndeadline_kind = \"done\"\n"), "done"),
        (item("kind = \"number\"\nvalue = 1.0"), "needs a unit"),
        (item("kind = \"number\"\nunit = \"个\""), "value or by_unit"),
        (item("kind = \"number\"\nvalue = 1.0\nunit = \"furlong\""), "furlong"),
        (item("kind = \"yes_no\"\nvalue = 1.0"), "yes_no"),
        (item("kind = \"yes_no\"\nindicators = [\"b\"]"), "not in the task's indicators"),
        (item("kind = \"maybe\""), "maybe"),
        (item("kind = \"yes_no\"\nlead = 1"), "lead"),
    ];
    for (text, needle) in cases {
        match TaskCatalog::from_toml(&text, "my-tasks.toml") {
            Err(e @ Error::Catalog { .. }) => {
                let message = e.to_string();
                assert!(message.contains("my-tasks.toml") && message.contains(needle), "{needle}: {message}");
            }
            other => panic!("expected a catalogue error containing '{needle}', got {other:?}"),
        }
    }
}
