import Link from "next/link";

export default function Forbidden() {
  return (
    <div className="mx-auto mt-24 max-w-md text-center">
      <p className="text-sm font-semibold text-red-600 dark:text-red-400">403</p>
      <h1 className="mt-1 text-xl font-semibold">Not available to your role</h1>
      <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
        Your account does not have permission for this page. If you need it, ask an administrator to change your role.
      </p>
      <Link href="/" className="mt-4 inline-block text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400">
        Back to the console
      </Link>
    </div>
  );
}
