-- Independence plans (issue 9): who is responsible for a milestone (a staff
-- account, so "mine" can be asked for), the next review date each review set,
-- indexes for the caseworker's "due" lists, and the template of common goals
-- (data, not code: managers edit it; a new plan starts from it).
ALTER TABLE milestone ADD COLUMN responsible_account_id INTEGER REFERENCES account(id);
ALTER TABLE plan_review ADD COLUMN next_review_on TEXT;
CREATE INDEX plan_goal_plan ON plan_goal(plan_id, sort);
CREATE INDEX milestone_goal ON milestone(goal_id);
CREATE INDEX milestone_open_due ON milestone(target_on) WHERE status IN ('planned', 'in_progress');
CREATE INDEX plan_review_plan ON plan_review(plan_id, reviewed_on);
CREATE INDEX plan_next_review ON plan(next_review_on);
-- "what changed since the last review" reads the audit rows of one plan
CREATE INDEX IF NOT EXISTS audit_entity ON audit(entity, entity_id, id);

CREATE TABLE plan_template (
    id         INTEGER PRIMARY KEY,
    domain     TEXT NOT NULL,
    goal       TEXT NOT NULL,
    -- usual milestones of the goal, one title per line
    milestones TEXT NOT NULL DEFAULT '',
    sort       INTEGER NOT NULL DEFAULT 0
);

INSERT INTO plan_template(domain, goal, milestones, sort) VALUES
('housing', '退所後の住まいを確保する', '公営住宅・民間賃貸の情報を集める
住宅の申込みをする
入居の契約をする', 10),
('employment', '安定した仕事に就く', 'ハローワークで求職登録をする
職業訓練・就労支援の相談をする
面接を受ける', 20),
('income', '生活に必要な収入を確保する', '生活保護の申請をする
児童扶養手当の申請をする
貸付制度の相談をする', 30),
('legal', '安全と権利を守る手続きを進める', '住民基本台帳の支援措置を申し出る
保護命令について相談する
離婚・親権について法律相談を受ける', 40),
('health', '心と体の健康を回復する', '健康診断・受診をする
心理的ケア（カウンセリング）を受ける', 50),
('daily_life', '落ち着いた日常生活を取り戻す', '生活リズムを整える
金銭管理の練習をする
自立支援講座に参加する', 60),
('children', '子どもが安心して過ごせるようにする', '就学・転校の手続きをする
保育所の入所を申し込む
子どもの心のケアを受ける', 70);
