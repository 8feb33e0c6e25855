/* The demo company of `liaison init --demo`: 星河科技有限公司, its departments, heads, liaisons, a
 * coordinator and about forty people, built in one transaction through the same operations the API
 * uses.  The people and roles of /work/shared/SCENARIO.md (王芳, 李强, 陈静, 赵磊, 刘洋, 孙丽, 周敏,
 * 吴刚, 郑华, 张总) are here with exactly those roles; everybody signs in with the password demo1234. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "ops/org.h"
#include "store/org.h"
#include "util/crypto.h"

#define DEMO_PASSWORD "demo1234"
#define DEMO_MAIL_DOMAIN "xinghe.example.com"

/* clang-format off */
/* Departments, parents before children; head and liaison are logins from the people below. */
static const struct demo_dept {
	const char *name;
	const char *parent;
	const char *head;
	const char *liaison;
} demo_depts[] = {
	/* name              parent              head            liaison */
	{"星河科技有限公司",  NULL,               "zhangwei",     "linxiao"},
	{"总经办",            "星河科技有限公司", "qianfeng",     "xuting"},
	{"研发中心",          "星河科技有限公司", "liuyang",      "gaofeng"},
	{"平台部",            "研发中心",         "zhaolei",      "chenjing"},
	{"产品部",            "研发中心",         "yangfan",      "hemin"},
	{"测试部",            "研发中心",         "songjie",      "tanglei"},
	{"市场部",            "星河科技有限公司", "liqiang",      "xuxiaodong"},
	{"销售部",            "星河科技有限公司", "huangtao",     "zhuli"},
	{"财务部",            "星河科技有限公司", "zhoumin",      "sunli"},
	{"人力资源部",        "星河科技有限公司", "guoying",      "caoyang"},
	{"采购部",            "星河科技有限公司", "liangbin",     "xiejun"},
	{"生产部",            "星河科技有限公司", "huangjianguo", "wugang"},
	{"法务部",            "星河科技有限公司", "jiangwen",     "caiqing"},
};

/* Everybody, by department.  Heads are confidential, 张伟 and 郑华 secret, the rest internal. */
static const struct demo_person {
	const char *login;
	const char *name;
	const char *dept;
	const char *clearance;
	bool coordinator;
	const char *role;  /* for people reading this table; not stored */
} demo_people[] = {
	/* login           name      department          clearance       coord  role */
	{"zhangwei",      "张伟",   "星河科技有限公司", "secret",       false, "总经理 (张总), head of the company"},
	{"linxiao",       "林晓",   "星河科技有限公司", "internal",     false, "总经理助理, liaison"},

	{"qianfeng",      "钱峰",   "总经办",           "confidential", false, "总经办主任, head"},
	{"zhenghua",      "郑华",   "总经办",           "secret",       true,  "协调人, the designated coordinator"},
	{"xuting",        "许婷",   "总经办",           "internal",     false, "行政专员, liaison"},

	{"liuyang",       "刘洋",   "研发中心",         "confidential", false, "研发总监, head"},
	{"gaofeng",       "高峰",   "研发中心",         "internal",     false, "项目经理, liaison"},
	{"hubin",         "胡斌",   "研发中心",         "internal",     false, "架构师"},

	{"zhaolei",       "赵磊",   "平台部",           "confidential", false, "平台部经理, head"},
	{"chenjing",      "陈静",   "平台部",           "internal",     false, "高级工程师, liaison"},
	{"wangyong",      "王勇",   "平台部",           "internal",     false, "运维工程师"},
	{"lina",          "李娜",   "平台部",           "internal",     false, "开发工程师"},

	{"yangfan",       "杨帆",   "产品部",           "confidential", false, "产品总监, head"},
	{"hemin",         "何敏",   "产品部",           "internal",     false, "产品经理, liaison"},
	{"luoyi",         "罗毅",   "产品部",           "internal",     false, "交互设计师"},

	{"songjie",       "宋杰",   "测试部",           "confidential", false, "测试经理, head"},
	{"tanglei",       "唐蕾",   "测试部",           "internal",     false, "测试工程师, liaison"},
	{"fengyu",        "冯宇",   "测试部",           "internal",     false, "测试工程师"},

	{"liqiang",       "李强",   "市场部",           "confidential", false, "市场部经理, head"},
	{"wangfang",      "王芳",   "市场部",           "internal",     false, "市场专员 (raises the request)"},
	{"xuxiaodong",    "徐晓东", "市场部",           "internal",     false, "市场主管, liaison"},
	{"hanxue",        "韩雪",   "市场部",           "internal",     false, "品牌专员"},

	{"huangtao",      "黄涛",   "销售部",           "confidential", false, "销售总监, head"},
	{"zhuli",         "朱莉",   "销售部",           "internal",     false, "销售运营, liaison"},
	{"mashuai",       "马帅",   "销售部",           "internal",     false, "大客户经理"},

	{"zhoumin",       "周敏",   "财务部",           "confidential", false, "财务经理, head"},
	{"sunli",         "孙丽",   "财务部",           "internal",     false, "预算会计, liaison"},
	{"yuhong",        "于红",   "财务部",           "internal",     false, "出纳"},

	{"guoying",       "郭颖",   "人力资源部",       "confidential", false, "人力资源经理, head"},
	{"caoyang",       "曹阳",   "人力资源部",       "internal",     false, "招聘主管, liaison"},
	{"xiaojing",      "肖静",   "人力资源部",       "internal",     false, "薪酬专员"},

	{"liangbin",      "梁斌",   "采购部",           "confidential", false, "采购经理, head"},
	{"xiejun",        "谢军",   "采购部",           "internal",     false, "采购主管, liaison"},
	{"hanmei",        "韩梅",   "采购部",           "internal",     false, "采购专员"},

	{"huangjianguo",  "黄建国", "生产部",           "confidential", false, "生产经理, head"},
	{"wugang",        "吴刚",   "生产部",           "internal",     false, "生产计划主管, liaison"},
	{"zhangli",       "张丽",   "生产部",           "internal",     false, "质检员"},
	{"pengtao",       "彭涛",   "生产部",           "internal",     false, "车间主任"},

	{"jiangwen",      "蒋文",   "法务部",           "confidential", false, "法务经理, head"},
	{"caiqing",       "蔡晴",   "法务部",           "internal",     false, "法务专员, liaison"},
	{"helin",         "贺琳",   "法务部",           "internal",     false, "合同管理员"},
};
/* clang-format on */

enum { N_DEPTS = sizeof demo_depts / sizeof demo_depts[0], N_PEOPLE = sizeof demo_people / sizeof demo_people[0] };

static int64_t dept_id(const int64_t *ids, const char *name)
{
	for (size_t i = 0; i < N_DEPTS; i++)
		if (strcmp(demo_depts[i].name, name) == 0)
			return ids[i];
	return 0;
}

/* Creates everything through the operations; 0, or the failing operation's error in e (and what it was
 * about in what). */
static int build(op_ctx *c, const char *hash, lerr *e, const char **what)
{
	int64_t dept_ids[N_DEPTS] = {0};
	int rc = 0;
	department dp;
	user u;
	for (size_t i = 0; i < N_DEPTS && !rc; i++) {
		*what = demo_depts[i].name;
		dept_in in = {DEPT_IN_NAME | DEPT_IN_PARENT, demo_depts[i].name,
			      demo_depts[i].parent ? dept_id(dept_ids, demo_depts[i].parent) : 0, 0};
		if (!(rc = op_dept_create(c, &in, &dp, e)))
			dept_ids[i] = dp.id;
	}
	/* Every demo user gets the same password: hashed once by the caller and handed to the operation
	 * (hashing it forty times over takes seconds at the interactive cost). */
	for (size_t i = 0; i < N_PEOPLE && !rc; i++) {
		const struct demo_person *p = &demo_people[i];
		char email[128];
		snprintf(email, sizeof email, "%s@%s", p->login, DEMO_MAIL_DOMAIN);
		*what = p->login;
		user_in in = {USER_IN_LOGIN | USER_IN_NAME | USER_IN_EMAIL | USER_IN_DEPARTMENT | USER_IN_CLEARANCE |
				      USER_IN_COORDINATOR | USER_IN_PASSWORD_HASH,
			      .login = p->login, .name = p->name, .email = email, .department_id = dept_id(dept_ids, p->dept),
			      .clearance = clearance_parse(p->clearance), .is_coordinator = p->coordinator,
			      .password_hash = hash};
		rc = op_user_create(c, &in, &u, e);
	}
	for (size_t i = 0; i < N_DEPTS && !rc; i++) {
		*what = demo_depts[i].name;
		dept_in in = {DEPT_IN_HEAD, .head_user_id = org_user_find_login(c->db, demo_depts[i].head)};
		if (org_dept_load(c->db, c->a, dept_ids[i], &dp) != DB_ROW)
			rc = lerr_set(e, LERR_INTERNAL, "internal", NULL, "the department could not be read");
		if (rc || (rc = op_dept_update(c, dept_ids[i], dp.version, &in, &dp, e)))
			break;
		int64_t liaison = org_user_find_login(c->db, demo_depts[i].liaison);
		liaisons_in li = {1, &liaison, 1};
		rc = op_dept_set_liaisons(c, dept_ids[i], dp.version, &li, &dp, e);
	}
	return rc;
}

int demo_populate(db *d)
{
	char hash[256];
	lerr e = {0};
	const char *what = "";
	if (password_hash(DEMO_PASSWORD, hash, sizeof hash)) {
		fprintf(stderr, "liaison init: demo: the password could not be hashed\n");
		return 1;
	}
	arena *a = arena_new();
	op_ctx c;
	op_init(&c, d, &op_cli_principal, a);
	int rc = op_begin(&c, &e);
	if (!rc)
		rc = op_end(&c, build(&c, hash, &e, &what), &e);
	op_release(&c);
	arena_free(a);
	if (rc) {
		fprintf(stderr, "liaison init: demo: %s: %s%s%s\n", what, e.field, e.field[0] ? ": " : "", e.detail);
		return 1;
	}
	return 0;
}
