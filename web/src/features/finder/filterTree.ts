// The search builder's model: the API's filter tree (contacts' search_filters.py) as an editable
// tree of groups and conditions, each of which may be negated; conversions both ways, the
// base64url form kept in the URL, and the checks a draft passes before it is run.
import type { components } from "../../api/schema";

type Schemas = components["schemas"];
export type ApiFilter = Schemas["contacts.AllOf-Input"]["conditions"][number];
export type ApiQuery = Schemas["contacts.ContactQuery-Input"];
export type Column = NonNullable<ApiQuery["columns"]>[number];
export type SortKey = Schemas["contacts.SortKey"];
export type SortField = SortKey["field"];

export type TextCondition = Schemas["contacts.TextCondition"];
export type DateCondition = Schemas["contacts.DateCondition"];
export type AgeCondition = Schemas["contacts.AgeCondition"];
export type GroupCondition = Schemas["contacts.GroupCondition"];
export type MembershipCondition = Schemas["contacts.MembershipCondition"];
export type FamilyCondition = Schemas["contacts.FamilyCondition"];
export type CompanyCondition = Schemas["contacts.CompanyCondition"];
export type Leaf =
  | TextCondition
  | DateCondition
  | AgeCondition
  | GroupCondition
  | MembershipCondition
  | FamilyCondition
  | CompanyCondition;

export type TextField = TextCondition["field"];
export type DateField = DateCondition["field"];

export const TEXT_FIELDS: readonly TextField[] = [
  "last_name",
  "first_name",
  "email",
  "phone",
  "street",
  "number",
  "postcode",
  "city",
  "country",
  "iban",
  "notes",
  "external_id",
];
export const DATE_FIELDS: readonly DateField[] = ["birth_date", "created_at", "updated_at"];
export const TEXT_OPS: readonly TextCondition["op"][] = [
  "contains",
  "equals",
  "starts_with",
  "empty",
  "not_empty",
];
export const DATE_OPS: readonly NonNullable<DateCondition["op"]>[] = [
  "in_range",
  "empty",
  "not_empty",
];

export const COLUMNS: readonly Column[] = [
  "id",
  "first_name",
  "last_name",
  "emails",
  "phone",
  "street",
  "number",
  "postcode",
  "city",
  "country",
  "iban",
  "birth_date",
  "age",
  "notes",
  "external_id",
  "created_at",
  "updated_at",
  "membership_status",
  "membership_types",
  "groups",
];
export const DEFAULT_COLUMNS: readonly Column[] = [
  "first_name",
  "last_name",
  "emails",
  "postcode",
  "city",
  "membership_status",
];

/** Columns the API sorts on, by the column that shows the value (`name` is last, then first). */
export const SORT_OF_COLUMN: Partial<Record<Column, SortField>> = {
  last_name: "name",
  first_name: "first_name",
  birth_date: "birth_date",
  postcode: "postcode",
  city: "city",
  created_at: "created_at",
  updated_at: "updated_at",
};

/** What a condition is about: a text or date field, or one of the other kinds. */
export type Subject =
  | `text:${TextField}`
  | `date:${DateField}`
  | "age"
  | "group"
  | "membership"
  | "family"
  | "company";

export const SUBJECTS: readonly Subject[] = [
  ...TEXT_FIELDS.map((field): Subject => `text:${field}`),
  ...DATE_FIELDS.map((field): Subject => `date:${field}`),
  "age",
  "group",
  "membership",
  "family",
  "company",
];

export function subjectOf(leaf: Leaf): Subject {
  if (leaf.kind === "text") return `text:${leaf.field}`;
  if (leaf.kind === "date") return `date:${leaf.field}`;
  return leaf.kind;
}

/** A fresh condition about a subject; a text value is kept when only the field changes. */
export function leafFor(subject: Subject, previous?: Leaf): Leaf {
  if (subject.startsWith("text:")) {
    const field = subject.slice(5) as TextField;
    return previous?.kind === "text"
      ? { ...previous, field }
      : { kind: "text", field, op: "contains", value: "" };
  }
  if (subject.startsWith("date:")) {
    const field = subject.slice(5) as DateField;
    return previous?.kind === "date"
      ? { ...previous, field }
      : { kind: "date", field, op: "in_range", after: null, before: null };
  }
  switch (subject) {
    case "age":
      return { kind: "age", min: null, max: null };
    case "group":
      return { kind: "group", op: "in", group_ids: [] };
    case "membership":
      return { kind: "membership", status: "member", type_ids: [] };
    case "family":
      return { kind: "family", linked: true, family_ids: [] };
    default:
      return { kind: "company", linked: true, company_ids: [] };
  }
}

export interface ConditionNode {
  type: "condition";
  id: string;
  negated: boolean;
  leaf: Leaf;
}

export interface GroupNode {
  type: "group";
  id: string;
  negated: boolean;
  combine: "and" | "or";
  children: TreeNode[];
}

export type TreeNode = ConditionNode | GroupNode;

let counter = 0;
export const newId = () => `n${++counter}`;

export function emptyTree(): GroupNode {
  return { type: "group", id: newId(), negated: false, combine: "and", children: [] };
}

export function newCondition(): ConditionNode {
  return { type: "condition", id: newId(), negated: false, leaf: leafFor("text:last_name") };
}

export function newGroup(combine: "and" | "or" = "or"): GroupNode {
  return { type: "group", id: newId(), negated: false, combine, children: [newCondition()] };
}

// ---- Edits (immutable) ----

export function replaceNode(tree: GroupNode, id: string, next: TreeNode): GroupNode {
  if (tree.id === id && next.type === "group") return next;
  return {
    ...tree,
    children: tree.children.map((child) =>
      child.id === id ? next : child.type === "group" ? replaceNode(child, id, next) : child,
    ),
  };
}

export function removeNode(tree: GroupNode, id: string): GroupNode {
  return {
    ...tree,
    children: tree.children
      .filter((child) => child.id !== id)
      .map((child) => (child.type === "group" ? removeNode(child, id) : child)),
  };
}

export function appendChild(tree: GroupNode, groupId: string, child: TreeNode): GroupNode {
  if (tree.id === groupId) return { ...tree, children: [...tree.children, child] };
  return {
    ...tree,
    children: tree.children.map((node) =>
      node.type === "group" ? appendChild(node, groupId, child) : node,
    ),
  };
}

// ---- To and from the API ----

function cleanLeaf(leaf: Leaf): Leaf {
  if (leaf.kind === "text") {
    const needsValue = leaf.op !== "empty" && leaf.op !== "not_empty";
    return { kind: "text", field: leaf.field, op: leaf.op, value: needsValue ? leaf.value : null };
  }
  if (leaf.kind === "date" && leaf.op !== "in_range") {
    return { kind: "date", field: leaf.field, op: leaf.op };
  }
  if (leaf.kind === "date") {
    return {
      kind: "date",
      field: leaf.field,
      op: "in_range",
      after: leaf.after || null,
      before: leaf.before || null,
    };
  }
  if (leaf.kind === "membership") return { ...leaf, on: leaf.on || null };
  return leaf;
}

function nodeToApi(node: TreeNode): ApiFilter | undefined {
  const filter = node.type === "condition" ? cleanLeaf(node.leaf) : groupToApi(node);
  if (!filter) return undefined;
  return node.negated ? { kind: "not", condition: filter } : filter;
}

function groupToApi(node: GroupNode): ApiFilter | undefined {
  const conditions = node.children
    .map(nodeToApi)
    .filter((child): child is ApiFilter => child !== undefined);
  return conditions.length ? { kind: node.combine, conditions } : undefined;
}

/** The API's filter for a tree; undefined (every contact) when it holds no condition. */
export function treeToFilter(tree: GroupNode): ApiFilter | undefined {
  return nodeToApi(tree);
}

function nodeFromApi(filter: ApiFilter, negated = false): TreeNode {
  switch (filter.kind) {
    case "not":
      return nodeFromApi(filter.condition, !negated);
    case "and":
    case "or":
      return {
        type: "group",
        id: newId(),
        negated,
        combine: filter.kind,
        children: filter.conditions.map((child) => nodeFromApi(child)),
      };
    default:
      return { type: "condition", id: newId(), negated, leaf: withDefaults(filter) };
  }
}

/** A condition as a link or an older saved search may hold it, with the API's defaults. */
function withDefaults(leaf: Leaf): Leaf {
  switch (leaf.kind) {
    case "date":
      return { ...leaf, op: leaf.op ?? "in_range" };
    case "group":
      return { ...leaf, op: leaf.op ?? "in", group_ids: leaf.group_ids ?? [] };
    case "membership":
      return { ...leaf, status: leaf.status ?? "member", type_ids: leaf.type_ids ?? [] };
    case "family":
      return { ...leaf, linked: leaf.linked ?? true, family_ids: leaf.family_ids ?? [] };
    case "company":
      return { ...leaf, linked: leaf.linked ?? true, company_ids: leaf.company_ids ?? [] };
    default:
      return leaf;
  }
}

/** The editable tree of an API filter: its root is always a group. */
export function filterToTree(filter: ApiFilter | null | undefined): GroupNode {
  if (!filter) return emptyTree();
  const node = nodeFromApi(filter);
  if (node.type === "group") return node;
  return { ...emptyTree(), children: [node] };
}

// ---- The URL form: base64url of the filter's JSON ----

export function encodeFilter(filter: ApiFilter | undefined): string {
  if (!filter) return "";
  const bytes = new TextEncoder().encode(JSON.stringify(filter));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The filter a `?q=` holds; null when there is none, "invalid" when it cannot be read. */
export function decodeFilter(text: string): ApiFilter | null | "invalid" {
  if (!text) return null;
  try {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (parsed && typeof parsed === "object" && "kind" in parsed) return parsed as ApiFilter;
  } catch {
    // fall through: a damaged link
  }
  return "invalid";
}

// ---- Checks before a run ----

export type DraftProblem = "valueMissing" | "groupMissing" | "ageMissing" | "ageOrder" | "dateOrder";

/** What is missing or wrong in each condition of a draft, by the node's id. */
export function draftProblems(tree: GroupNode): Map<string, DraftProblem> {
  const problems = new Map<string, DraftProblem>();
  const visit = (node: TreeNode) => {
    if (node.type === "group") {
      node.children.forEach(visit);
      return;
    }
    const problem = leafProblem(node.leaf);
    if (problem) problems.set(node.id, problem);
  };
  visit(tree);
  return problems;
}

function leafProblem(leaf: Leaf): DraftProblem | undefined {
  switch (leaf.kind) {
    case "text":
      return leaf.op !== "empty" && leaf.op !== "not_empty" && !leaf.value?.trim()
        ? "valueMissing"
        : undefined;
    case "group":
      return leaf.group_ids.length === 0 ? "groupMissing" : undefined;
    case "age":
      if (leaf.min == null && leaf.max == null) return "ageMissing";
      return leaf.min != null && leaf.max != null && leaf.min > leaf.max ? "ageOrder" : undefined;
    case "date":
      return leaf.op === "in_range" && leaf.after && leaf.before && leaf.after > leaf.before
        ? "dateOrder"
        : undefined;
    default:
      return undefined;
  }
}

/** The same search, whatever defaults the API filled in or the order of its keys? */
export function sameQuery(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, item]) => item !== null && item !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, item]) => [key, canonical(item)]),
    );
  }
  return value;
}
