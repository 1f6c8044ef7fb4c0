// The search builder: a tree of groups (all / any of their parts, optionally negated) and
// conditions. Every part is a fieldset named by its place ("Condition 2.1"); focus follows
// what was added or removed so the tree can be built from the keyboard.
import { useCallback, useEffect, useRef, useState } from "react";

import { useI18n } from "../../i18n/i18n";
import { Field } from "../../ui/Field";
import { ConditionEditor } from "./ConditionEditor";
import {
  appendChild,
  newCondition,
  newGroup,
  removeNode,
  replaceNode,
  type DraftProblem,
  type GroupNode,
  type TreeNode,
} from "./filterTree";

interface FilterBuilderProps {
  tree: GroupNode;
  problems: Map<string, DraftProblem>;
  onChange: (tree: GroupNode) => void;
}

interface Editing {
  tree: GroupNode;
  problems: Map<string, DraftProblem>;
  onChange: (tree: GroupNode) => void;
  /** The id of the part to focus next ("<group id>:add" for a group's add button). */
  focusTarget: string | null;
  setFocusTarget: (target: string | null) => void;
}

export function FilterBuilder({ tree, problems, onChange }: FilterBuilderProps) {
  const [focusTarget, setFocusTarget] = useState<string | null>(null);
  const editing: Editing = { tree, problems, onChange, focusTarget, setFocusTarget };
  return <GroupEditor node={tree} place="" parentId={null} editing={editing} />;
}

interface GroupEditorProps {
  node: GroupNode;
  /** "" for the root, "2" or "2.1" below it. */
  place: string;
  parentId: string | null;
  editing: Editing;
}

function GroupEditor({ node, place, parentId, editing }: GroupEditorProps) {
  const { t } = useI18n();
  const { tree, onChange, focusTarget, setFocusTarget } = editing;
  const combineRef = useRef<HTMLSelectElement>(null);
  const addRef = useRef<HTMLButtonElement>(null);
  const isRoot = parentId === null;
  const label = isRoot ? t("finder.group.root") : t("finder.group.label", { place });

  useEffect(() => {
    if (focusTarget === node.id) combineRef.current?.focus();
    else if (focusTarget === `${node.id}:add`) addRef.current?.focus();
    else return;
    setFocusTarget(null);
  }, [focusTarget, node.id, setFocusTarget]);

  const clearFocus = useCallback(() => setFocusTarget(null), [setFocusTarget]);
  const update = (next: TreeNode) => onChange(replaceNode(tree, next.id, next));
  const add = (child: TreeNode) => {
    onChange(appendChild(tree, node.id, child));
    setFocusTarget(child.id);
  };
  const remove = (id: string) => {
    onChange(removeNode(tree, id));
    setFocusTarget(`${node.id}:add`);
  };
  const childPlace = (index: number) => (place ? `${place}.${index + 1}` : `${index + 1}`);
  const joiner = node.combine === "and" ? t("finder.group.and") : t("finder.group.or");

  return (
    <fieldset className={isRoot ? "finder-group finder-root" : "finder-group"}>
      <legend>{label}</legend>
      <div className="finder-row">
        <Field label={t("finder.group.combine")}>
          {(control) => (
            <select
              {...control}
              ref={combineRef}
              value={node.combine}
              onChange={(event) =>
                update({ ...node, combine: event.target.value as "and" | "or" })
              }
            >
              <option value="and">{t("finder.group.all")}</option>
              <option value="or">{t("finder.group.any")}</option>
            </select>
          )}
        </Field>
        <label className="finder-not">
          <input
            type="checkbox"
            checked={node.negated}
            onChange={(event) => update({ ...node, negated: event.target.checked })}
          />{" "}
          {t("finder.group.not")}
        </label>
        {!isRoot && parentId ? (
          <button
            type="button"
            className="btn finder-remove"
            aria-label={t("finder.group.removeNamed", { name: label })}
            onClick={() => {
              onChange(removeNode(tree, node.id));
              setFocusTarget(`${parentId}:add`);
            }}
          >
            {t("finder.group.remove")}
          </button>
        ) : null}
      </div>
      {node.children.length === 0 ? <p className="finder-empty">{t("finder.group.empty")}</p> : null}
      <ol className="finder-children">
        {node.children.map((child, index) => (
          <li key={child.id}>
            {index > 0 ? (
              <span className="finder-joiner" aria-hidden="true">
                {joiner}
              </span>
            ) : null}
            {child.type === "group" ? (
              <GroupEditor
                node={child}
                place={childPlace(index)}
                parentId={node.id}
                editing={editing}
              />
            ) : (
              <ConditionEditor
                node={child}
                label={t("finder.condition.label", { place: childPlace(index) })}
                problem={editing.problems.get(child.id)}
                focus={focusTarget === child.id}
                onFocused={clearFocus}
                onChange={update}
                onRemove={() => remove(child.id)}
              />
            )}
          </li>
        ))}
      </ol>
      <div className="finder-add">
        <button
          ref={addRef}
          type="button"
          className="btn"
          aria-label={isRoot ? undefined : t("finder.group.addConditionTo", { name: label })}
          onClick={() => add(newCondition())}
        >
          {t("finder.group.addCondition")}
        </button>
        <button
          type="button"
          className="btn"
          aria-label={isRoot ? undefined : t("finder.group.addGroupTo", { name: label })}
          onClick={() => add(newGroup())}
        >
          {t("finder.group.addGroup")}
        </button>
      </div>
    </fieldset>
  );
}
