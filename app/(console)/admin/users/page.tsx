import type { Metadata } from "next";
import { PageHeader } from "@/components/layout/page-header";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { requirePageUser } from "@/lib/auth/session";
import { listUsers } from "@/lib/data/users";
import { ActiveToggle } from "@/components/admin/active-toggle";
import { CreateUserForm, RoleSelect } from "./user-forms";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const actor = await requirePageUser("users:manage");
  const users = await listUsers(actor);
  const active = users.filter((u) => u.active).length;
  return (
    <div className="space-y-5">
      <PageHeader
        title="Users"
        count={users.length}
        description={`People who sign in to the console. ${active} active. Roles decide what each person sees and may do; deactivation takes effect on their next request.`}
        actions={<CreateUserForm />}
      />
      <Table label="Users">
        <thead>
          <tr>
            <Th>Name</Th>
            <Th>Email</Th>
            <Th>Role</Th>
            <Th>Status</Th>
            <Th>Last sign-in</Th>
            <Th className="text-right">Actions</Th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} data-testid={`user-row-${u.email}`} className={u.active ? undefined : "text-zinc-400 dark:text-zinc-500"}>
              <Td className="font-medium">{u.name}</Td>
              <Td className="font-mono text-xs">{u.email}</Td>
              <Td>
                <RoleSelect user={{ id: u.id, name: u.name, email: u.email, role: u.role ?? "analyst" }} disabled={!u.active || u.id === actor.id} self={u.id === actor.id} />
              </Td>
              <Td>{u.active ? <Badge tone="green">Active</Badge> : <Badge>Deactivated</Badge>}</Td>
              <Td>
                <Time value={u.lastSignInAt} />
              </Td>
              <Td className="text-right">
                {u.id === actor.id ? (
                  <span className="text-xs text-zinc-400">you</span>
                ) : (
                  <ActiveToggle kind="user" userId={u.id} active={u.active} email={u.email} />
                )}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}
