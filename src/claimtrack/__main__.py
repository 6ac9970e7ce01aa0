from claimtrack.cli.app import main

main()
